package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

/**
 * The tool's name, description and version after the change, and its config when that changed ({@code null}
 * otherwise: configs are up to 256 KB and most updates leave them alone).
 */
@Revision("1")
public record ToolUpdated(String toolId, String name, String description, String version, JsonNode config) implements ToolEvent {

    /**
     * An unchanged config is Java {@code null}; Jackson reads a stored JSON {@code null} back as a {@code NullNode},
     * which every consumer would otherwise take for a new config that is JSON null (the projection wrote the text
     * "null" into mcp_tools.config after any update that left the config alone).
     */
    public ToolUpdated {
        if (config != null && (config.isNull() || config.isMissingNode())) {
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
