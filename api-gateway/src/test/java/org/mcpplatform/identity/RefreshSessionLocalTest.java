package org.mcpplatform.identity;

import java.time.Clock;
import java.time.Duration;

/** The in-process store of the embedded platform keeps the same contract as Redis. */
class RefreshSessionLocalTest extends RefreshSessionContract {

    @Override
    SessionStore store(Duration refreshTtl) {
        return new LocalSessionStore(TokenFixtures.sessions(refreshTtl, Duration.ZERO), Clock.systemUTC());
    }
}
