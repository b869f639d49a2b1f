package org.mcpplatform.deployment;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one tool differs from its pinned definition. {@code before}/{@code after} are the definitions
 * (name, description, inputSchema) or null for an added or removed tool.
 */
public record ToolDefinitionChange(String name, Kind kind, JsonNode before, JsonNode after) {

    public enum Kind {
        ADDED("added"), REMOVED("removed"), CHANGED("changed");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }
    }
}
