package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Change any subset of a tool's name, description, version and config; a null field stays as it is, an empty
 * description clears it. A status given here is applied in the same unit of work, recorded as its own event.
 * {@code expectedRevision} is the client's If-Match, or null to apply unconditionally.
 */
public record UpdateTool(@TargetAggregateIdentifier String toolId,
                         String name,
                         String description,
                         String version,
                         JsonNode config,
                         ToolStatus status,
                         Long expectedRevision) {

    public boolean changesNothing() {
        return name == null && description == null && version == null && config == null && status == null;
    }
}
