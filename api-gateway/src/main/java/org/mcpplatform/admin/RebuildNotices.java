package org.mcpplatform.admin;

import org.mcpplatform.live.AdminNotice;
import org.mcpplatform.projection.RebuildObserved;
import org.mcpplatform.projection.RebuildPhase;
import org.mcpplatform.projection.RebuildStatus;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells the administrators following admin:broadcast how projection rebuilds go: about once a second while one runs
 * ({@code ProjectionRebuildProgress}), and once at its end ({@code ProjectionRebuilt} or
 * {@code ProjectionRebuildFailed}). Every node tells its own subscribers, whichever node runs the rebuild.
 */
@Component
public class RebuildNotices {

    static final String PROGRESS = "ProjectionRebuildProgress";
    static final String REBUILT = "ProjectionRebuilt";
    static final String FAILED = "ProjectionRebuildFailed";

    private final ApplicationEventPublisher publisher;

    public RebuildNotices(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @EventListener
    public void on(RebuildObserved observed) {
        RebuildStatus status = observed.status();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("processor", status.processor());
        if (status.phase() == RebuildPhase.FAILED) {
            payload.put("reason", status.error());
            payload.put("phase", status.phase().value());
            publisher.publishEvent(new AdminNotice(FAILED, payload));
            return;
        }
        payload.put("done", status.done());
        payload.put("total", Math.max(status.done(), status.total()));
        payload.put("events_per_second", status.eventsPerSecond());
        if (status.phase() == RebuildPhase.DONE) {
            payload.put("duration_seconds", status.duration(Instant.now()).toMillis() / 1000.0);
            payload.put("phase", status.phase().value());
            publisher.publishEvent(new AdminNotice(REBUILT, payload));
            return;
        }
        payload.put("eta_seconds", status.etaSeconds());
        payload.put("phase", status.phase().value());
        publisher.publishEvent(new AdminNotice(PROGRESS, payload));
    }
}
