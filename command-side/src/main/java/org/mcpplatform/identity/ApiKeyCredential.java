package org.mcpplatform.identity;

import java.time.Instant;

/**
 * What authentication needs to know about an API key.
 *
 * @param keyId      the key's id (the part of the key that finds it)
 * @param userId     the account the key acts for
 * @param secretHash SHA-256 of the key's secret part, hex; never logged, never in an event
 * @param expiresAt  when the key stops working, or null for never
 * @param revokedAt  when the key was revoked, or null
 * @param lastUsedAt the latest use recorded, or null
 */
public record ApiKeyCredential(String keyId, String userId, String secretHash, Instant expiresAt, Instant revokedAt,
                               Instant lastUsedAt) {

    /** Neither revoked nor expired at {@code now} (the owner's account must be checked separately). */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    @Override
    public String toString() {
        return "ApiKeyCredential[keyId=" + keyId + ", userId=" + userId + ", secretHash=***, expiresAt=" + expiresAt
                + ", revokedAt=" + revokedAt + ", lastUsedAt=" + lastUsedAt + "]";
    }
}
