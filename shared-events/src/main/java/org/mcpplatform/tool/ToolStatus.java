package org.mcpplatform.tool;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Lifecycle of a tool: draft -> active -> deprecated, and deprecated -> active again. */
public enum ToolStatus {
    DRAFT, ACTIVE, DEPRECATED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ToolStatus fromValue(String value) {
        for (ToolStatus status : values()) {
            if (status.value().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown tool status '" + value + "' (expected draft, active or deprecated)");
    }

    public boolean mayBecome(ToolStatus next) {
        return switch (this) {
            case DRAFT -> next == ACTIVE;
            case ACTIVE -> next == DEPRECATED;
            case DEPRECATED -> next == ACTIVE;
        };
    }
}
