package org.mcpplatform.deadline;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import org.mcpplatform.deployment.SupervisorProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/**
 * Deadlines (a saga's restart back-off, its start timeout) are rows of {@code scheduled_tasks} in the read-model
 * database, so a deadline set before the platform stopped still fires after it started again. Axon's db-scheduler
 * auto-configuration sees this scheduler and adds the deadline manager and the tasks it runs. That deadline manager
 * would start the scheduler from Axon's lifecycle, which only covers components Axon itself looked up; sagas get it
 * injected by Spring, so the scheduler is started and stopped here.
 */
@Configuration(proxyBeanMethods = false)
public class DeadlineConfiguration {

    @Bean
    @DependsOnDatabaseInitialization // scheduled_tasks is made by a migration
    public Scheduler deadlineScheduler(DataSource dataSource, List<Task<?>> tasks, DeadlineProperties properties) {
        return Scheduler.create(dataSource, tasks)
                        .tableName("scheduled_tasks")
                        .pollingInterval(properties.pollInterval())
                        .threads(2)
                        .shutdownMaxWait(Duration.ofSeconds(5))
                        .build();
    }

    /** Not started on nodes that do not run deployed servers: the deadlines are the deployment saga's. */
    @Bean
    public SmartLifecycle deadlineSchedulerLifecycle(Scheduler deadlineScheduler, SupervisorProperties deployments) {
        return new SmartLifecycle() {
            @Override
            public boolean isAutoStartup() {
                return deployments.runServers();
            }

            @Override
            public void start() {
                if (!deadlineScheduler.getSchedulerState().isStarted()) {
                    deadlineScheduler.start();
                }
            }

            @Override
            public void stop() {
                if (deadlineScheduler.getSchedulerState().isStarted()
                        && !deadlineScheduler.getSchedulerState().isShuttingDown()) {
                    deadlineScheduler.stop();
                }
            }

            @Override
            public boolean isRunning() {
                return deadlineScheduler.getSchedulerState().isStarted()
                        && !deadlineScheduler.getSchedulerState().isShuttingDown();
            }
        };
    }
}
