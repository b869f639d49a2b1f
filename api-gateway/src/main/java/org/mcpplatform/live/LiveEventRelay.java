package org.mcpplatform.live;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;

/**
 * Follows the event store with a tracking processor of its own and hands every event a subscriber may follow to the
 * fan-out. The processor's token advances only after the fan-out took the event, and a failure is retried, never
 * skipped: delivery is at least once, and the hubs drop repeats by event id. One segment: one node relays at a time,
 * in event-store order.
 */
@ProcessingGroup(LiveEventRelay.PROCESSING_GROUP)
public class LiveEventRelay {

    public static final String PROCESSING_GROUP = "live-events";

    private final LiveEvents events;
    private final LiveFanOut fanOut;

    public LiveEventRelay(LiveEvents events, LiveFanOut fanOut) {
        this.events = events;
        this.fanOut = fanOut;
    }

    @EventHandler
    public void on(Object payload, EventMessage<?> event, TrackingToken token) {
        events.of(event, token).ifPresent(fanOut::publish);
    }
}
