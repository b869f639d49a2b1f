package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Reads the configs a tool had from its event stream, so the aggregate need not keep every past config to revert to
 * one.
 */
public class ToolConfigHistory {

    private final EventStore eventStore;

    public ToolConfigHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The config the tool had after its {@code revision}-th event (revision 1 is the registration). */
    public JsonNode configAt(String toolId, long revision) {
        JsonNode config = null;
        DomainEventStream events = eventStore.readEvents(toolId, 0);
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (event.getSequenceNumber() >= revision) {
                break;
            }
            if (event.getPayload() instanceof ToolEvent toolEvent) {
                config = toolEvent.configAfter(config);
            }
        }
        if (config == null) {
            throw new IllegalStateException("tool " + toolId + " has no config at revision " + revision);
        }
        return config;
    }
}
