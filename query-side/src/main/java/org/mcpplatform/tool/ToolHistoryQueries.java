package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.mcpplatform.common.NotFoundException;

import java.util.ArrayList;
import java.util.List;

/**
 * Audit queries answered from the event store itself, not from a projection: every change of a tool with who made it
 * and when, and the tool as it was at any instant. They work for deleted tools too.
 */
public class ToolHistoryQueries {

    static final String RESOURCE_TYPE = "MCP tool";

    private final EventStore eventStore;
    private final ObjectMapper json;

    public ToolHistoryQueries(EventStore eventStore, ObjectMapper json) {
        this.eventStore = eventStore;
        this.json = json;
    }

    @QueryHandler
    public ToolHistory handle(FindToolHistory query) {
        ToolTimeline timeline = timeline(query.toolId());
        return new ToolHistory(query.toolId(), timeline.history(json));
    }

    /** The tool at the instant, or null if it did not exist then. */
    @QueryHandler
    public ToolView handle(FindToolAsOf query) {
        return timeline(query.toolId()).stateAt(query.asOf());
    }

    private ToolTimeline timeline(String toolId) {
        // from sequence 0, past any snapshot: the audit trail is the events themselves
        DomainEventStream stream = eventStore.readEvents(toolId, 0);
        List<DomainEventMessage<?>> events = new ArrayList<>();
        stream.forEachRemaining(events::add);
        ToolTimeline timeline = ToolTimeline.of(events);
        if (timeline.isEmpty()) {
            throw new NotFoundException(RESOURCE_TYPE, toolId);
        }
        return timeline;
    }
}
