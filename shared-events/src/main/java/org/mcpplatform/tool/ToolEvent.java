package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;

/** Every event of a tool's stream. Knows how it changes the tool's config, so all readers fold configs alike. */
public sealed interface ToolEvent
        permits ToolRegistered, ToolUpdated, ToolStatusChanged, ToolDeleted, ToolConfigReverted {

    String toolId();

    /** How the tool's history names this change. */
    ToolChangeType changeType();

    /** The tool's config after this event, given the config before it. */
    default JsonNode configAfter(JsonNode before) {
        return before;
    }
}
