package org.mcpplatform.identity;

import java.time.Instant;

/** A row of the api_keys read model: never the key or its hash. */
public record ApiKeyView(String id, String userId, String name, String prefix, Instant expiresAt, Instant createdAt,
                         Instant revokedAt) {
}
