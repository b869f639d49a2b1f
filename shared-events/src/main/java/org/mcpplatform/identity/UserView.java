package org.mcpplatform.identity;

import java.time.Instant;

/** A row of the users read model. */
public record UserView(String id, String username, String email, Role role, boolean active, Instant createdAt,
                       Instant updatedAt) {
}
