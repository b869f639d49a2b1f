package org.mcpplatform.tool;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum ToolChangeType {
    CREATE, UPDATE, STATUS, DELETE, REVERT;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
