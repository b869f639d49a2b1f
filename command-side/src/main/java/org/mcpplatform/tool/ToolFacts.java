package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.Optional;

/**
 * What other aggregates' decisions need to know about a tool, folded from its event stream: read only when such a
 * decision is made (a deployment request), so the tool aggregate need not keep its slug and config in memory.
 */
public class ToolFacts {

    private final EventStore eventStore;

    public ToolFacts(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The tool as its events leave it, or empty if it never existed or is deleted. */
    public Optional<Facts> of(String toolId) {
        DomainEventStream events = eventStore.readEvents(toolId, 0);
        String slug = null;
        String authorId = null;
        JsonNode config = null;
        long revision = 0;
        boolean deleted = false;
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (!(event.getPayload() instanceof ToolEvent toolEvent)) {
                continue;
            }
            revision = event.getSequenceNumber() + 1;
            config = toolEvent.configAfter(config);
            if (toolEvent instanceof ToolRegistered registered) {
                slug = registered.slug();
                authorId = registered.authorId();
            } else if (toolEvent instanceof ToolDeleted) {
                deleted = true;
            }
        }
        if (slug == null || deleted) {
            return Optional.empty();
        }
        return Optional.of(new Facts(toolId, slug, authorId, config, revision));
    }

    public record Facts(String toolId, String slug, String authorId, JsonNode config, long revision) {
    }
}
