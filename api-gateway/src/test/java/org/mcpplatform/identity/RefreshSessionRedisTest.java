package org.mcpplatform.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpplatform.cache.CacheProperties;
import org.mcpplatform.redis.RedisConfiguration;
import org.mcpplatform.support.TcpProxy;
import org.mcpplatform.support.TestServices;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** The Redis store: the contract, plus what it keeps in Redis and how it behaves when Redis is gone. */
class RefreshSessionRedisTest extends RefreshSessionContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = TestServices.freshRedisPrefix();

    static RedisClient client;
    static StatefulRedisConnection<String, String> connection;
    static RedisCommands<String, String> redis;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestServices.REDIS_URL);
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void removeKeysAndDisconnect() {
        List<String> keys = keys();
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
        connection.close();
        client.shutdown();
    }

    @Override
    SessionStore store(Duration refreshTtl) {
        return new RedisSessionStore(connection, PREFIX, TokenFixtures.sessions(refreshTtl, Duration.ofSeconds(1)),
                                     Clock.systemUTC());
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(PREFIX + "*").limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    private static JsonNode json(String key) {
        String value = redis.get(key);
        assertThat(value).as("value of %s", key).isNotNull();
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new AssertionError("not JSON at " + key + ": " + value, e);
        }
    }

    private static void assertExpiresWithin(String key, Duration ttl) {
        assertThat(redis.pttl(key)).as("PTTL of %s", key).isGreaterThan(0).isLessThanOrEqualTo(ttl.toMillis());
    }

    // Property 31: Session Storage with TTL — for any user session created, Redis contains the session data with an
    // expiry time set
    @Test
    void everySessionIsStoredWithAnExpiry() {
        SessionStore store = store(TokenFixtures.REFRESH_TTL);
        qt().withExamples(50)
            .forAll(longs().all(), integers().between(0, 3))
            .checkAssert((seed, refreshes) -> {
                String user = new UUID(seed, ~seed).toString();
                NewSession session = store.start(user);
                String token = session.refreshToken();
                List<String> usedUp = new ArrayList<>();
                for (int i = 0; i < refreshes; i++) {
                    usedUp.add(token);
                    token = ((Rotation.Rotated) store.rotate(token)).newRefreshToken();
                }

                String sessionKey = PREFIX + "session:" + session.sessionId();
                assertExpiresWithin(sessionKey, TokenFixtures.REFRESH_TTL);
                JsonNode stored = json(sessionKey);
                assertThat(stored.path("user_id").asText()).isEqualTo(user);
                assertThat(stored.path("session_id").asText()).isEqualTo(session.sessionId());
                assertThat(Instant.parse(stored.path("created_at").asText())).isBefore(Instant.now().plusSeconds(1));

                String tokenKey = PREFIX + "refresh_token:" + RefreshTokens.hash(token);
                assertExpiresWithin(tokenKey, TokenFixtures.REFRESH_TTL);
                assertThat(json(tokenKey).path("user_id").asText()).isEqualTo(user);
                assertThat(json(tokenKey).path("session_id").asText()).isEqualTo(session.sessionId());

                for (String old : usedUp) {
                    assertThat(redis.exists(PREFIX + "refresh_token:" + RefreshTokens.hash(old))).isZero();
                    assertExpiresWithin(PREFIX + "refresh_token_used:" + RefreshTokens.hash(old),
                                        TokenFixtures.REFRESH_TTL);
                }
                assertExpiresWithin(PREFIX + "user_sessions:" + user, TokenFixtures.REFRESH_TTL);
            });
    }

    @Test
    void noKeyEverLivesWithoutAnExpiry() {
        SessionStore store = store(TokenFixtures.REFRESH_TTL);
        String user = UUID.randomUUID().toString();
        NewSession kept = store.start(user);
        store.rotate(((Rotation.Rotated) store.rotate(kept.refreshToken())).newRefreshToken());
        NewSession reused = store.start(user);
        store.rotate(reused.refreshToken());
        store.rotate(reused.refreshToken());
        store.end(store.start(user).refreshToken());

        assertThat(keys()).isNotEmpty().allSatisfy(key -> assertThat(redis.pttl(key)).as("PTTL of %s", key)
                                                                                        .isPositive());
    }

    @Test
    void refreshTokensAreStoredOnlyAsHashes() {
        SessionStore store = store(TokenFixtures.REFRESH_TTL);
        NewSession session = store.start(UUID.randomUUID().toString());
        Rotation.Rotated rotated = (Rotation.Rotated) store.rotate(session.refreshToken());

        for (String token : List.of(session.refreshToken(), rotated.newRefreshToken())) {
            String secret = token.substring(RefreshTokens.START.length());
            for (String key : keys()) {
                assertThat(key).doesNotContain(secret);
                String value = "set".equals(redis.type(key)) ? String.join(",", redis.smembers(key)) : redis.get(key);
                assertThat(value).doesNotContain(secret);
            }
        }
    }

    @Test
    void aLogoutOnOneNodeReachesTheOthersWithinTheSessionCheckCache() {
        SessionStore nodeA = store(TokenFixtures.REFRESH_TTL);
        SessionStore nodeB = store(TokenFixtures.REFRESH_TTL);
        NewSession session = nodeA.start(UUID.randomUUID().toString());
        assertThat(nodeB.isActive(session.sessionId())).isTrue();
        Rotation rotated = nodeB.rotate(session.refreshToken());
        assertThat(rotated).isInstanceOf(Rotation.Rotated.class);

        nodeA.endSession(session.sessionId());

        assertThat(nodeA.isActive(session.sessionId())).isFalse();
        await().atMost(Duration.ofSeconds(2)).until(() -> !nodeB.isActive(session.sessionId()));
    }

    @Test
    void whileRedisIsDownEveryOperationFailsAsUnavailableAndNothingIsLost() {
        try (TcpProxy proxy = new TcpProxy(TestServices.REDIS_URL, 6379)) {
            RedisConfiguration configuration = new RedisConfiguration();
            RedisClient proxied = configuration.platformRedisClient(new CacheProperties(
                    proxy.url(), PREFIX, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(10),
                    Duration.ofSeconds(60), Duration.ofSeconds(1)));
            StatefulRedisConnection<String, String> proxiedConnection = configuration.platformRedis(proxied);
            try {
                SessionStore store = new RedisSessionStore(proxiedConnection, PREFIX,
                                                           TokenFixtures.sessions(TokenFixtures.REFRESH_TTL,
                                                                                  Duration.ofSeconds(1)),
                                                           Clock.systemUTC());
                String user = UUID.randomUUID().toString();
                NewSession session = store.start(user);

                proxy.cut();

                assertThatThrownBy(() -> store.start(user)).isInstanceOf(SessionStoreUnavailableException.class);
                assertThatThrownBy(() -> store.rotate(session.refreshToken()))
                        .isInstanceOf(SessionStoreUnavailableException.class);
                // fail closed: no session is taken for active while it cannot be checked (none was cached here)
                assertThatThrownBy(() -> store.isActive(UUID.randomUUID().toString()))
                        .isInstanceOf(SessionStoreUnavailableException.class);
                assertThatThrownBy(() -> store.end(session.refreshToken()))
                        .isInstanceOf(SessionStoreUnavailableException.class);
                assertThatThrownBy(() -> store.endSession(session.sessionId()))
                        .isInstanceOf(SessionStoreUnavailableException.class);
                assertThatThrownBy(() -> store.endAllFor(user)).isInstanceOf(SessionStoreUnavailableException.class);

                proxy.restore();

                await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                       .until(() -> store.isActive(session.sessionId()));
                assertThat(store.rotate(session.refreshToken())).isInstanceOf(Rotation.Rotated.class);
            } finally {
                proxiedConnection.close();
                proxied.shutdown();
            }
        }
    }
}
