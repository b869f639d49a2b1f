package org.mcpplatform.live;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The timers of live connections (authentication deadlines, heartbeats). Held in a wrapper rather than exposed as a
 * TaskScheduler bean, which would take the place of Spring Boot's scheduler for every @Scheduled method.
 */
public record LiveTimers(ThreadPoolTaskScheduler scheduler) implements DisposableBean {

    @Override
    public void destroy() {
        scheduler.shutdown();
    }
}
