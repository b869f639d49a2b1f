package org.mcpplatform.identity;

import java.time.Instant;

/**
 * What one batch of events makes of one api_keys row. A key the batch issued holds every column and replaces the
 * stored row; a key issued earlier only gets its revocation.
 */
final class ApiKeyRow {

    final String id;
    final String userId;
    final boolean issued;
    String name;
    String prefix;
    Instant expiresAt;
    Instant createdAt;
    Instant revokedAt;

    private ApiKeyRow(String id, String userId, boolean issued) {
        this.id = id;
        this.userId = userId;
        this.issued = issued;
    }

    static ApiKeyRow issued(String id, String userId, String name, String prefix, Instant expiresAt, Instant at) {
        ApiKeyRow row = new ApiKeyRow(id, userId, true);
        row.name = name;
        row.prefix = prefix;
        row.expiresAt = expiresAt;
        row.createdAt = at;
        return row;
    }

    static ApiKeyRow changed(String id, String userId) {
        return new ApiKeyRow(id, userId, false);
    }
}
