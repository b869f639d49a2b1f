package org.mcpplatform.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The seed's three roles; what each may do is {@link RolePermissions}. */
public enum Role {
    ADMIN, DEVELOPER, VIEWER;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role fromValue(String value) {
        for (Role role : values()) {
            if (role.value().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + value + "' (expected admin, developer or viewer)");
    }
}
