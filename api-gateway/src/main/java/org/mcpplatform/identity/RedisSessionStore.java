package org.mcpplatform.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sessions and refresh tokens in Redis, shared by every node. Keys (each after the platform's key prefix, each with
 * an expiry):
 * <ul>
 *     <li>{@code session:{session_id}}: JSON {user_id, session_id, created_at, refreshed_at, refresh_hash}, the last
 *     being the hash of the session's one live refresh token;</li>
 *     <li>{@code refresh_token:{sha256 hex}}: JSON {user_id, session_id} of a live token;</li>
 *     <li>{@code refresh_token_used:{sha256 hex}}: the same, for a token that was rotated away (reuse detection);</li>
 *     <li>{@code user_sessions:{user_id}}: the set of a user's session ids, for {@link #endAllFor}.</li>
 * </ul>
 * Every change is one Lua script, so Redis runs it without interleaving: of two rotations of one token, exactly one
 * finds it live. In a Redis Cluster these keys must share a slot: give {@code MCP_REDIS_KEY_PREFIX} a hash tag, such
 * as {@code {mcp}:}.
 */
public class RedisSessionStore implements SessionStore {

    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ends one session: its key, its live token, its entry in the user's set. ARGV[1] is the key prefix. */
    private static final String REVOKE = """
            local function revoke(sid)
              local key = ARGV[1] .. 'session:' .. sid
              local raw = redis.call('GET', key)
              if not raw then return false end
              local session = cjson.decode(raw)
              redis.call('DEL', key, ARGV[1] .. 'refresh_token:' .. session.refresh_hash)
              redis.call('SREM', ARGV[1] .. 'user_sessions:' .. session.user_id, sid)
              return true
            end
            """;

    /** KEYS: session, token, user's sessions. ARGV: prefix, session JSON, token JSON, ttl ms, session id. */
    private static final String START = """
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
            redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
            -- sessions that expired on their own leave their id behind in the set
            for _, sid in ipairs(redis.call('SMEMBERS', KEYS[3])) do
              if redis.call('EXISTS', ARGV[1] .. 'session:' .. sid) == 0 then redis.call('SREM', KEYS[3], sid) end
            end
            redis.call('SADD', KEYS[3], ARGV[5])
            redis.call('PEXPIRE', KEYS[3], ARGV[4])
            return 1
            """;

    /** KEYS: old token, old token's tombstone, new token. ARGV: prefix, old hash, new hash, ttl ms, now. */
    private static final String ROTATE = """
            local raw = redis.call('GET', KEYS[1])
            if not raw then
              local used = redis.call('GET', KEYS[2])
              if not used then return {'invalid'} end
              local record = cjson.decode(used)
              revoke(record.session_id)
              return {'reused', record.user_id, record.session_id}
            end
            local record = cjson.decode(raw)
            redis.call('DEL', KEYS[1])
            redis.call('SET', KEYS[2], raw, 'PX', ARGV[4])
            local sessionKey = ARGV[1] .. 'session:' .. record.session_id
            local sessionRaw = redis.call('GET', sessionKey)
            if not sessionRaw then return {'invalid'} end
            local session = cjson.decode(sessionRaw)
            if session.refresh_hash ~= ARGV[2] then
              -- a live token that is not the session's current one: the family forked somehow; trust neither branch
              revoke(record.session_id)
              return {'reused', record.user_id, record.session_id}
            end
            session.refresh_hash = ARGV[3]
            session.refreshed_at = ARGV[5]
            redis.call('SET', sessionKey, cjson.encode(session), 'PX', ARGV[4])
            redis.call('SET', KEYS[3], raw, 'PX', ARGV[4])
            local userSessions = ARGV[1] .. 'user_sessions:' .. record.user_id
            redis.call('SADD', userSessions, record.session_id)
            redis.call('PEXPIRE', userSessions, ARGV[4])
            return {'rotated', record.user_id, record.session_id}
            """;

    /** KEYS: token, token's tombstone. ARGV: prefix. Returns the ended session's id. */
    private static final String END_BY_TOKEN = """
            local raw = redis.call('GET', KEYS[1]) or redis.call('GET', KEYS[2])
            if not raw then return false end
            local sid = cjson.decode(raw).session_id
            revoke(sid)
            return sid
            """;

    /** ARGV: prefix, session id. */
    private static final String END_SESSION = """
            revoke(ARGV[2])
            return 1
            """;

    /** KEYS: user's sessions. ARGV: prefix. Returns the ended sessions' ids. */
    private static final String END_ALL = """
            local ended = {}
            for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if revoke(sid) then table.insert(ended, sid) end
            end
            redis.call('DEL', KEYS[1])
            return ended
            """;

    /** Defaults of the session check when the caller gives none: MCP_REDIS_TIMEOUT and MCP_REDIS_RETRY_AFTER's. */
    static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMillis(100);
    static final Duration DEFAULT_CHECK_RETRY_AFTER = Duration.ofSeconds(2);

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final Duration checkTimeout;
    private final Duration checkRetryAfter;
    /** Until when (System.nanoTime) session checks do not ask Redis, after one failed: see {@link #isActive}. */
    private volatile long checksPausedUntil = System.nanoTime();
    private final String prefix;
    private final Duration ttl;
    private final Clock clock;
    /** Sessions seen active recently; only positive answers are kept, and this node's revocations drop them. */
    private final Cache<String, Boolean> recentlyActive;
    private final Script start;
    private final Script rotate;
    private final Script endByToken;
    private final Script endSession;
    private final Script endAll;

    public RedisSessionStore(StatefulRedisConnection<String, String> connection, String keyPrefix,
                             TokenProperties properties, Clock clock) {
        this(connection, keyPrefix, properties, clock, DEFAULT_CHECK_TIMEOUT, DEFAULT_CHECK_RETRY_AFTER);
    }

    /**
     * @param checkTimeout    how long the per-request session check waits for Redis
     * @param checkRetryAfter how long session checks leave Redis alone after one failed
     */
    public RedisSessionStore(StatefulRedisConnection<String, String> connection, String keyPrefix,
                             TokenProperties properties, Clock clock, Duration checkTimeout, Duration checkRetryAfter) {
        this.redis = connection.sync();
        this.async = connection.async();
        this.checkTimeout = checkTimeout;
        this.checkRetryAfter = checkRetryAfter;
        this.prefix = keyPrefix == null ? "" : keyPrefix;
        this.ttl = properties.refreshTokenTtl();
        this.clock = clock;
        this.recentlyActive = properties.sessionCheckCache().isZero()
                ? null
                : Caffeine.newBuilder().expireAfterWrite(properties.sessionCheckCache()).maximumSize(100_000).build();
        this.start = new Script(START);
        this.rotate = new Script(ROTATE);
        this.endByToken = new Script(END_BY_TOKEN);
        this.endSession = new Script(END_SESSION);
        this.endAll = new Script(END_ALL);
    }

    @Override
    public NewSession start(String userId) {
        String sessionId = UUID.randomUUID().toString();
        String token = RefreshTokens.newToken();
        String hash = RefreshTokens.hash(token);
        Instant now = clock.instant();
        ObjectNode session = JSON.createObjectNode()
                                 .put("user_id", userId)
                                 .put("session_id", sessionId)
                                 .put("created_at", now.toString())
                                 .put("refreshed_at", now.toString())
                                 .put("refresh_hash", hash);
        String record = tokenRecord(userId, sessionId);
        start.run(ScriptOutputType.INTEGER,
                  new String[]{sessionKey(sessionId), tokenKey(hash), userSessionsKey(userId)},
                  prefix, json(session), record, ttlMillis(), sessionId);
        return new NewSession(sessionId, token, now.plus(ttl));
    }

    @Override
    public Rotation rotate(String refreshToken) {
        if (!RefreshTokens.isWellFormed(refreshToken)) {
            return Rotation.INVALID;
        }
        String oldHash = RefreshTokens.hash(refreshToken);
        String next = RefreshTokens.newToken();
        String newHash = RefreshTokens.hash(next);
        Instant now = clock.instant();
        List<Object> result = rotate.run(ScriptOutputType.MULTI,
                                         new String[]{tokenKey(oldHash), usedTokenKey(oldHash), tokenKey(newHash)},
                                         prefix, oldHash, newHash, ttlMillis(), now.toString());
        String outcome = (String) result.get(0);
        return switch (outcome) {
            case "rotated" -> new Rotation.Rotated((String) result.get(1), (String) result.get(2), next, now.plus(ttl));
            case "reused" -> {
                forget((String) result.get(2));
                yield new Rotation.Reused((String) result.get(1), (String) result.get(2));
            }
            default -> Rotation.INVALID;
        };
    }

    @Override
    public void end(String refreshToken) {
        if (!RefreshTokens.isWellFormed(refreshToken)) {
            return;
        }
        String hash = RefreshTokens.hash(refreshToken);
        String sessionId = endByToken.run(ScriptOutputType.VALUE, new String[]{tokenKey(hash), usedTokenKey(hash)},
                                          prefix);
        if (sessionId != null) {
            forget(sessionId);
        }
    }

    @Override
    public void endSession(String sessionId) {
        if (sessionId == null) {
            return;
        }
        endSession.run(ScriptOutputType.INTEGER, new String[0], prefix, sessionId);
        forget(sessionId);
    }

    @Override
    public boolean isActive(String sessionId) {
        if (sessionId == null) {
            return false;
        }
        if (recentlyActive != null && recentlyActive.getIfPresent(sessionId) != null) {
            return true;
        }
        boolean active = exists(sessionKey(sessionId));
        if (active && recentlyActive != null) {
            recentlyActive.put(sessionId, Boolean.TRUE);
        }
        return active;
    }

    @Override
    public void endAllFor(String userId) {
        List<Object> ended = endAll.run(ScriptOutputType.MULTI, new String[]{userSessionsKey(userId)}, prefix);
        ended.forEach(sessionId -> forget((String) sessionId));
    }

    private void forget(String sessionId) {
        if (recentlyActive != null) {
            recentlyActive.invalidate(sessionId);
        }
    }

    private String sessionKey(String sessionId) {
        return prefix + "session:" + sessionId;
    }

    private String tokenKey(String hash) {
        return prefix + "refresh_token:" + hash;
    }

    private String usedTokenKey(String hash) {
        return prefix + "refresh_token_used:" + hash;
    }

    private String userSessionsKey(String userId) {
        return prefix + "user_sessions:" + userId;
    }

    private String ttlMillis() {
        return Long.toString(ttl.toMillis());
    }

    private static String tokenRecord(String userId, String sessionId) {
        return json(JSON.createObjectNode().put("user_id", userId).put("session_id", sessionId));
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON object of strings always serialises", e);
        }
    }

    /**
     * The per-request check, unlike the other operations, is bounded by the short cache timeout and pauses after a
     * failure (a breaker, as the cache has), so that a hanging Redis costs one request one timeout every
     * {@code checkRetryAfter} instead of every request the command timeout.
     */
    private boolean exists(String key) {
        if (System.nanoTime() - checksPausedUntil < 0) {
            throw new SessionStoreUnavailableException(new RedisException("session checks paused after a failure"));
        }
        try {
            return async.exists(key).get(checkTimeout.toMillis(), TimeUnit.MILLISECONDS) == 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionStoreUnavailableException(e);
        } catch (ExecutionException | TimeoutException | RedisException e) {
            checksPausedUntil = System.nanoTime() + checkRetryAfter.toNanos();
            log.warn("Session check failed, Redis left alone for {}: {}", checkRetryAfter, e.toString());
            throw new SessionStoreUnavailableException(e);
        }
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            log.warn("Session store (Redis) failed: {}", e.toString());
            throw new SessionStoreUnavailableException(e);
        }
    }

    /** A script sent by its SHA-1, and in full only when Redis does not know it (first use, or after a restart). */
    private final class Script {

        private final String source;
        private final String sha;

        Script(String body) {
            this.source = REVOKE + body;
            this.sha = redis.digest(source);
        }

        <T> T run(ScriptOutputType type, String[] keys, String... args) {
            return call(() -> {
                try {
                    return redis.evalsha(sha, type, keys, args);
                } catch (RedisNoScriptException e) {
                    return redis.eval(source, type, keys, args);
                }
            });
        }
    }
}
