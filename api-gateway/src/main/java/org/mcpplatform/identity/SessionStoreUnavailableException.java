package org.mcpplatform.identity;

import org.mcpplatform.web.ApiFailure;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * The session store (Redis) did not answer. Logins, refreshes and session checks fail rather than fall back to this
 * node's memory: a session revoked in Redis would live on in a local copy. Thrown from controllers it becomes a 503
 * through the API's exception handler; a filter must write the 503 itself.
 */
public class SessionStoreUnavailableException extends ApiFailure {

    public SessionStoreUnavailableException(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
              "Sessions are temporarily unavailable; try again shortly", Map.of());
        initCause(cause);
    }
}
