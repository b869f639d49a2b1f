package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

/** The config was restored to the one the tool had at {@code restoredRevision}; {@code config} is that config. */
@Revision("1")
public record ToolConfigReverted(String toolId, long restoredRevision, JsonNode config) implements ToolEvent {

    @Override
    public ToolChangeType changeType() {
        return ToolChangeType.REVERT;
    }

    @Override
    public JsonNode configAfter(JsonNode before) {
        return config;
    }
}
