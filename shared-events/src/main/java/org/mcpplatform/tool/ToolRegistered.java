package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ToolRegistered(String toolId,
                             String name,
                             String slug,
                             String description,
                             String version,
                             JsonNode config,
                             String authorId,
                             ToolStatus status) implements ToolEvent {

    @Override
    public ToolChangeType changeType() {
        return ToolChangeType.CREATE;
    }

    @Override
    public JsonNode configAfter(JsonNode before) {
        return config;
    }
}
