package org.mcpplatform.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link SessionStore} does, run against each implementation: refresh tokens rotate, a rotated-away token
 * presented again ends its whole session, concurrent rotations of one token let exactly one through, logouts and
 * expiry end sessions.
 */
abstract class RefreshSessionContract {

    /** A store whose refresh tokens and sessions live {@code refreshTtl}. */
    abstract SessionStore store(Duration refreshTtl);

    private final SessionStore store = store(TokenFixtures.REFRESH_TTL);

    private static String newUser() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aNewSessionHasAWellFormedRefreshTokenAndIsActive() {
        String user = newUser();
        NewSession session = store.start(user);

        assertThat(session.refreshToken()).matches("^mcpr_[A-Za-z0-9_-]{43}$");
        assertThat(RefreshTokens.isWellFormed(session.refreshToken())).isTrue();
        assertThat(session.refreshExpiresAt()).isAfter(java.time.Instant.now().plus(TokenFixtures.REFRESH_TTL)
                                                                          .minusSeconds(60));
        assertThat(store.isActive(session.sessionId())).isTrue();
        assertThat(store.start(user).sessionId()).isNotEqualTo(session.sessionId());
    }

    @Test
    void aRefreshHandsOutTheNextTokenOfTheSameSession() {
        String user = newUser();
        NewSession session = store.start(user);

        Rotation first = store.rotate(session.refreshToken());

        assertThat(first).isInstanceOf(Rotation.Rotated.class);
        Rotation.Rotated rotated = (Rotation.Rotated) first;
        assertThat(rotated.userId()).isEqualTo(user);
        assertThat(rotated.sessionId()).isEqualTo(session.sessionId());
        assertThat(rotated.newRefreshToken()).isNotEqualTo(session.refreshToken()).startsWith(RefreshTokens.START);
        assertThat(store.isActive(session.sessionId())).isTrue();

        Rotation second = store.rotate(rotated.newRefreshToken());
        assertThat(second).isInstanceOf(Rotation.Rotated.class);
        assertThat(((Rotation.Rotated) second).sessionId()).isEqualTo(session.sessionId());
    }

    @Test
    void aRotatedAwayTokenPresentedAgainEndsTheWholeSession() {
        String user = newUser();
        NewSession session = store.start(user);
        Rotation.Rotated rotated = (Rotation.Rotated) store.rotate(session.refreshToken());

        Rotation replay = store.rotate(session.refreshToken());

        assertThat(replay).isEqualTo(new Rotation.Reused(user, session.sessionId()));
        assertThat(store.isActive(session.sessionId())).isFalse();
        // the legitimate holder's newer token died with the session
        assertThat(store.rotate(rotated.newRefreshToken())).isEqualTo(Rotation.INVALID);
        // and the replayed token stays reported as reused, not revived
        assertThat(store.rotate(session.refreshToken())).isInstanceOf(Rotation.Reused.class);
    }

    @Test
    void aReuseEndsOnlyThatSession() {
        String user = newUser();
        NewSession leaked = store.start(user);
        NewSession otherDevice = store.start(user);
        store.rotate(leaked.refreshToken());

        store.rotate(leaked.refreshToken());

        assertThat(store.isActive(otherDevice.sessionId())).isTrue();
        assertThat(store.rotate(otherDevice.refreshToken())).isInstanceOf(Rotation.Rotated.class);
    }

    @Test
    void ofConcurrentRefreshesWithOneTokenExactlyOneSucceeds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int threads = 2; threads <= 8; threads++) {
                for (int round = 0; round < 3; round++) {
                    NewSession session = store.start(newUser());
                    CountDownLatch ready = new CountDownLatch(threads);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Rotation>> results = new ArrayList<>();
                    for (int i = 0; i < threads; i++) {
                        results.add(pool.submit(() -> {
                            ready.countDown();
                            go.await();
                            return store.rotate(session.refreshToken());
                        }));
                    }
                    ready.await(10, TimeUnit.SECONDS);
                    go.countDown();
                    List<Rotation> outcomes = new ArrayList<>();
                    for (Future<Rotation> result : results) {
                        outcomes.add(result.get(10, TimeUnit.SECONDS));
                    }

                    assertThat(outcomes).as("%d threads, round %d", threads, round)
                                        .filteredOn(Rotation.Rotated.class::isInstance).hasSize(1);
                    // the others presented a token that had just been used up: a reuse, which ends the session
                    assertThat(outcomes).filteredOn(Rotation.Reused.class::isInstance).hasSize(threads - 1);
                    assertThat(store.isActive(session.sessionId())).isFalse();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void logoutWithTheRefreshTokenEndsTheSession() {
        NewSession session = store.start(newUser());

        store.end(session.refreshToken());

        assertThat(store.isActive(session.sessionId())).isFalse();
        assertThat(store.rotate(session.refreshToken())).isEqualTo(Rotation.INVALID);
        store.end(session.refreshToken());
    }

    @Test
    void logoutWithAnAlreadyRotatedTokenStillEndsTheSession() {
        NewSession session = store.start(newUser());
        Rotation.Rotated rotated = (Rotation.Rotated) store.rotate(session.refreshToken());

        store.end(session.refreshToken());

        assertThat(store.isActive(session.sessionId())).isFalse();
        assertThat(store.rotate(rotated.newRefreshToken())).isEqualTo(Rotation.INVALID);
    }

    @Test
    void logoutWithTheSessionIdEndsTheSessionAndItsToken() {
        NewSession session = store.start(newUser());
        assertThat(store.isActive(session.sessionId())).isTrue();

        store.endSession(session.sessionId());

        assertThat(store.isActive(session.sessionId())).isFalse();
        assertThat(store.rotate(session.refreshToken())).isEqualTo(Rotation.INVALID);
        store.endSession(session.sessionId());
        store.endSession(UUID.randomUUID().toString());
    }

    @Test
    void endingAllSessionsOfAUserLeavesOtherUsersAlone() {
        String user = newUser();
        List<NewSession> sessions = List.of(store.start(user), store.start(user), store.start(user));
        Rotation.Rotated rotated = (Rotation.Rotated) store.rotate(sessions.get(2).refreshToken());
        NewSession someoneElse = store.start(newUser());

        store.endAllFor(user);

        for (NewSession session : sessions) {
            assertThat(store.isActive(session.sessionId())).isFalse();
        }
        assertThat(store.rotate(sessions.get(0).refreshToken())).isEqualTo(Rotation.INVALID);
        assertThat(store.rotate(rotated.newRefreshToken())).isEqualTo(Rotation.INVALID);
        assertThat(store.isActive(someoneElse.sessionId())).isTrue();
        store.endAllFor(user);
        // the user can log in again afterwards
        NewSession again = store.start(user);
        assertThat(store.rotate(again.refreshToken())).isInstanceOf(Rotation.Rotated.class);
    }

    @Test
    void refreshTokensAndSessionsExpire() throws InterruptedException {
        SessionStore shortLived = store(Duration.ofSeconds(1));
        NewSession unused = shortLived.start(newUser());
        NewSession rotatedOnce = shortLived.start(newUser());
        Rotation.Rotated rotated = (Rotation.Rotated) shortLived.rotate(rotatedOnce.refreshToken());

        Thread.sleep(1300);

        assertThat(shortLived.isActive(unused.sessionId())).isFalse();
        assertThat(shortLived.rotate(unused.refreshToken())).isEqualTo(Rotation.INVALID);
        assertThat(shortLived.isActive(rotatedOnce.sessionId())).isFalse();
        assertThat(shortLived.rotate(rotated.newRefreshToken())).isEqualTo(Rotation.INVALID);
        // the record of the used-up token expires too
        assertThat(shortLived.rotate(rotatedOnce.refreshToken())).isEqualTo(Rotation.INVALID);
    }

    @Test
    void aRefreshStartsTheLifetimeAgain() throws InterruptedException {
        SessionStore shortLived = store(Duration.ofSeconds(2));
        NewSession session = shortLived.start(newUser());
        Thread.sleep(1200);
        Rotation.Rotated rotated = (Rotation.Rotated) shortLived.rotate(session.refreshToken());
        Thread.sleep(1200);

        assertThat(shortLived.isActive(session.sessionId())).isTrue();
        assertThat(shortLived.rotate(rotated.newRefreshToken())).isInstanceOf(Rotation.Rotated.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mcpr_", "mcpr_short", "mcp_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "mcpr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "mcpr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "MCPR_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void unknownOrMalformedTokensAreInvalid(String token) {
        assertThat(store.rotate(token)).isEqualTo(Rotation.INVALID);
        store.end(token);
    }

    @Test
    void noTokenAtAllIsInvalid() {
        assertThat(store.rotate(null)).isEqualTo(Rotation.INVALID);
        assertThat(store.rotate("x".repeat(1_000_000))).isEqualTo(Rotation.INVALID);
        assertThat(store.isActive(null)).isFalse();
        assertThat(store.isActive(UUID.randomUUID().toString())).isFalse();
    }
}
