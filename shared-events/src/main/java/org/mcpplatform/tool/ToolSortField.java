package org.mcpplatform.tool;

import java.util.Locale;
import java.util.Optional;

/** The columns a tool list may be sorted by, named as in the API. */
public enum ToolSortField {
    CREATED_AT, UPDATED_AT, NAME, SLUG, STATUS, VERSION;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ToolSortField> fromApiName(String value) {
        for (ToolSortField field : values()) {
            if (field.apiName().equals(value)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
