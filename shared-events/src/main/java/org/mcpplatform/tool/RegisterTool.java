package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Register a new MCP tool under a slug no other tool has ever held. The author is the acting user. */
public record RegisterTool(@TargetAggregateIdentifier String toolId,
                           String name,
                           String slug,
                           String description,
                           String version,
                           JsonNode config) {
}
