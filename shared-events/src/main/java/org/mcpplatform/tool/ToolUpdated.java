package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

/**
 * The tool's name, description and version after the change, and its config when that changed ({@code null}
 * otherwise: configs are up to 256 KB and most updates leave them alone).
 */
@Revision("1")
public record ToolUpdated(String toolId, String name, String description, String version, JsonNode config) implements ToolEvent {

    /** Jackson reads a stored {@code "config": null} as a JSON null node; it means the same as no config. */
    public ToolUpdated {
        if (config != null && config.isNull()) {
            config = null;
        }
    }

    @Override
    public ToolChangeType changeType() {
        return ToolChangeType.UPDATE;
    }

    @Override
    public JsonNode configAfter(JsonNode before) {
        return config == null ? before : config;
    }
}
