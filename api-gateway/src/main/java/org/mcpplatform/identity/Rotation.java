package org.mcpplatform.identity;

import java.time.Instant;

/** What presenting a refresh token to {@link SessionStore#rotate} did. */
public sealed interface Rotation permits Rotation.Rotated, Rotation.Reused, Rotation.Invalid {

    Invalid INVALID = new Invalid();

    /**
     * The token was live: it is now used up, and {@code newRefreshToken} continues the session. Issue a new access
     * token for {@code sessionId} (after checking that the user may still log in).
     */
    record Rotated(String userId, String sessionId, String newRefreshToken, Instant refreshExpiresAt)
            implements Rotation {
    }

    /**
     * The token had been rotated already, so two parties hold the session (a stolen token, or a client that
     * refreshed twice at once): the whole session and its live token are revoked now. Answer 401; worth a
     * security log line.
     */
    record Reused(String userId, String sessionId) implements Rotation {
    }

    /** Unknown, malformed, expired, or of a session that has ended. Answer 401. */
    record Invalid() implements Rotation {
    }
}
