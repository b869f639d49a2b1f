package org.mcpplatform.live;

/** Carries events from the relay (one node at a time) to the live hub of every node. */
public interface LiveFanOut {

    /** Hands an event over; returns once it is safe with the fan-out, else throws so that the relay retries. */
    void publish(LiveEvent event);

    /** Whether events can travel now (the health check's answer). */
    boolean reachable();

    /** "rabbitmq" or "in-process". */
    String kind();
}
