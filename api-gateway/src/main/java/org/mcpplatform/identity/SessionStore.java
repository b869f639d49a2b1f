package org.mcpplatform.identity;

/**
 * Login sessions and their refresh tokens (seed keys {@code session:{session_id}} and
 * {@code refresh_token:{token_hash}}, both expiring after the refresh token lifetime).
 * <p>
 * A session is a family of refresh tokens of which exactly one is live: every refresh uses up the presented token and
 * hands out the next one. Presenting a used-up token again means the family has leaked, and ends the session. Each
 * refresh gives the new token and the session the full lifetime again, so a session ends after that long without a
 * refresh, or by logout, reuse or {@link #endAllFor}.
 * <p>
 * Implementations: {@link RedisSessionStore} when {@code REDIS_URL} is set (shared by all nodes), otherwise
 * {@link LocalSessionStore} (this process only; sessions end with it). Methods of the Redis store throw
 * {@link SessionStoreUnavailableException} when Redis does not answer.
 */
public interface SessionStore {

    /** Starts a session for a user who has just proven who they are. */
    NewSession start(String userId);

    /** Uses up a refresh token; at most one of several concurrent calls with one token gets {@link Rotation.Rotated}. */
    Rotation rotate(String refreshToken);

    /** Logout with the refresh token: ends its session (also when the token was already rotated); unknown is a no-op. */
    void end(String refreshToken);

    /** Logout with an access token: ends the session it names ({@link AccessTokens#SESSION_ID}). */
    void endSession(String sessionId);

    /**
     * Whether the session of an access token still exists, for every request. The Redis store may answer from a
     * cache of at most {@code mcp.tokens.session-check-cache} (1 s), so a logout reaches other nodes that late.
     */
    boolean isActive(String sessionId);

    /** Ends every session of a user (deactivation, password change). */
    void endAllFor(String userId);
}
