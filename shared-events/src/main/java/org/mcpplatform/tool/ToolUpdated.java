package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

/**
 * The tool's name, description and version after the change, and its config when that changed ({@code null}
 * otherwise: configs are up to 256 KB and most updates leave them alone).
 */
@Revision("1")
public record ToolUpdated(String toolId, String name, String description, String version, JsonNode config) implements ToolEvent {

    @Override
    public ToolChangeType changeType() {
        return ToolChangeType.UPDATE;
    }

    @Override
    public JsonNode configAfter(JsonNode before) {
        return config == null ? before : config;
    }
}
