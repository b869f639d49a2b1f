package org.mcpplatform.live;

import java.util.List;

/** Carries events from the relay (one node at a time) to the live hub of every node. */
public interface LiveFanOut {

    /** Hands events over, in order; returns once they are safe with the fan-out, else throws so the relay retries. */
    void publish(List<LiveEvent> events);

    /** Whether events can travel now (the health check's answer). */
    boolean reachable();

    /** "rabbitmq" or "in-process". */
    String kind();
}
