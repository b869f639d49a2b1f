package org.mcpplatform.identity;

import java.time.Instant;

/**
 * What one batch of events makes of one users row. A row the batch registered holds every column and replaces the
 * stored row; any other row holds only what its events changed (null: unchanged) and updates the stored one.
 */
final class UserRow {

    final String id;
    final boolean registered;
    String username;
    String email;
    Role role;
    Boolean active;
    Instant createdAt;
    Instant updatedAt;

    private UserRow(String id, boolean registered) {
        this.id = id;
        this.registered = registered;
    }

    static UserRow registered(String id, String username, String email, Role role, Instant at) {
        UserRow row = new UserRow(id, true);
        row.username = username;
        row.email = email;
        row.role = role;
        row.active = true;
        row.createdAt = at;
        row.updatedAt = at;
        return row;
    }

    static UserRow changed(String id) {
        return new UserRow(id, false);
    }
}
