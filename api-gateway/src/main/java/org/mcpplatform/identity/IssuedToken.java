package org.mcpplatform.identity;

import java.time.Instant;

/**
 * A signed access token as handed to a client.
 *
 * @param value            the compact JWT ({@code Authorization: Bearer <value>})
 * @param expiresAt        its {@code exp}
 * @param expiresInSeconds seconds from issue to expiry: the OAuth {@code expires_in}
 */
public record IssuedToken(String value, Instant expiresAt, long expiresInSeconds) {
}
