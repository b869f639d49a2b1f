package org.mcpplatform.live;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows the event store with a tracking processor of its own and hands every event a subscriber may follow to the
 * fan-out. The processor's token advances only after the fan-out took the batch's events, and a failure is retried, never
 * skipped: delivery is at least once, and the hubs drop repeats by event id. One segment: one node relays at a time,
 * in event-store order.
 */
@ProcessingGroup(LiveEventRelay.PROCESSING_GROUP)
public class LiveEventRelay {

    public static final String PROCESSING_GROUP = "live-events";
    private static final String PENDING = LiveEventRelay.class.getName() + ".pending";

    private final LiveEvents events;
    private final LiveFanOut fanOut;

    public LiveEventRelay(LiveEvents events, LiveFanOut fanOut) {
        this.events = events;
        this.fanOut = fanOut;
    }

    /**
     * Collects the batch's events and hands them over together just before the batch commits (one wait for the
     * broker's confirms per batch instead of per event); a failure there rolls the batch back, to be retried.
     */
    @EventHandler
    public void on(Object payload, EventMessage<?> event, TrackingToken token) {
        events.of(event, token).ifPresent(live -> {
            if (!CurrentUnitOfWork.isStarted()) {
                fanOut.publish(List.of(live));
                return;
            }
            UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
            List<LiveEvent> pending = batch.getOrComputeResource(PENDING, key -> {
                List<LiveEvent> collected = new ArrayList<>();
                batch.onPrepareCommit(committing -> fanOut.publish(collected));
                return collected;
            });
            pending.add(live);
        });
    }
}
