package org.mcpplatform.identity;

import java.time.Instant;

/**
 * A login session just started.
 *
 * @param sessionId        goes into the access tokens of this login ({@link AccessTokens#SESSION_ID})
 * @param refreshToken     the opaque refresh token, given to the client once and stored only as a hash
 * @param refreshExpiresAt when the refresh token (and, unless refreshed, the session) expires
 */
public record NewSession(String sessionId, String refreshToken, Instant refreshExpiresAt) {
}
