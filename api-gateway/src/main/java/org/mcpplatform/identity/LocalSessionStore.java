package org.mcpplatform.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sessions and refresh tokens in this process, for the embedded platform (one node, no Redis): the same records,
 * expiries and rules as {@link RedisSessionStore}, each operation under one lock as each is one script there.
 * Sessions do not survive a restart: users log in again.
 */
public class LocalSessionStore implements SessionStore {

    /** Expired entries are dropped on the way, and all of them at most this often. */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private interface Expiring {
        Instant expiresAt();
    }

    private record Session(String userId, String refreshHash, Instant expiresAt) implements Expiring {
    }

    private record TokenRecord(String userId, String sessionId, Instant expiresAt) implements Expiring {
    }

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, TokenRecord> liveTokens = new HashMap<>();
    private final Map<String, TokenRecord> usedTokens = new HashMap<>();
    private final Map<String, Set<String>> userSessions = new HashMap<>();
    private Instant nextSweep;

    public LocalSessionStore(TokenProperties properties, Clock clock) {
        this.ttl = properties.refreshTokenTtl();
        this.clock = clock;
        this.nextSweep = clock.instant().plus(SWEEP_EVERY);
    }

    @Override
    public synchronized NewSession start(String userId) {
        Instant now = now();
        String sessionId = UUID.randomUUID().toString();
        String token = RefreshTokens.newToken();
        String hash = RefreshTokens.hash(token);
        Instant expiresAt = now.plus(ttl);
        sessions.put(sessionId, new Session(userId, hash, expiresAt));
        liveTokens.put(hash, new TokenRecord(userId, sessionId, expiresAt));
        userSessions.computeIfAbsent(userId, id -> new HashSet<>()).add(sessionId);
        return new NewSession(sessionId, token, expiresAt);
    }

    @Override
    public synchronized Rotation rotate(String refreshToken) {
        if (!RefreshTokens.isWellFormed(refreshToken)) {
            return Rotation.INVALID;
        }
        Instant now = now();
        String oldHash = RefreshTokens.hash(refreshToken);
        TokenRecord record = live(liveTokens, oldHash, now);
        if (record == null) {
            TokenRecord used = live(usedTokens, oldHash, now);
            if (used == null) {
                return Rotation.INVALID;
            }
            revoke(used.sessionId());
            return new Rotation.Reused(used.userId(), used.sessionId());
        }
        Instant expiresAt = now.plus(ttl);
        liveTokens.remove(oldHash);
        usedTokens.put(oldHash, new TokenRecord(record.userId(), record.sessionId(), expiresAt));
        Session session = live(sessions, record.sessionId(), now);
        if (session == null) {
            return Rotation.INVALID;
        }
        if (!session.refreshHash().equals(oldHash)) {
            // a live token that is not the session's current one: the family forked somehow; trust neither branch
            revoke(record.sessionId());
            return new Rotation.Reused(record.userId(), record.sessionId());
        }
        String next = RefreshTokens.newToken();
        String newHash = RefreshTokens.hash(next);
        sessions.put(record.sessionId(), new Session(session.userId(), newHash, expiresAt));
        liveTokens.put(newHash, new TokenRecord(record.userId(), record.sessionId(), expiresAt));
        return new Rotation.Rotated(record.userId(), record.sessionId(), next, expiresAt);
    }

    @Override
    public synchronized void end(String refreshToken) {
        if (!RefreshTokens.isWellFormed(refreshToken)) {
            return;
        }
        Instant now = now();
        String hash = RefreshTokens.hash(refreshToken);
        TokenRecord record = live(liveTokens, hash, now);
        if (record == null) {
            record = live(usedTokens, hash, now);
        }
        if (record != null) {
            revoke(record.sessionId());
        }
    }

    @Override
    public synchronized void endSession(String sessionId) {
        if (sessionId != null) {
            revoke(sessionId);
        }
    }

    @Override
    public synchronized boolean isActive(String sessionId) {
        return sessionId != null && live(sessions, sessionId, clock.instant()) != null;
    }

    @Override
    public synchronized void endAllFor(String userId) {
        Set<String> ids = userSessions.remove(userId);
        if (ids != null) {
            List.copyOf(ids).forEach(this::revoke);
        }
    }

    private void revoke(String sessionId) {
        Session session = sessions.remove(sessionId);
        if (session == null) {
            return;
        }
        liveTokens.remove(session.refreshHash());
        Set<String> ofUser = userSessions.get(session.userId());
        if (ofUser != null) {
            ofUser.remove(sessionId);
            if (ofUser.isEmpty()) {
                userSessions.remove(session.userId());
            }
        }
    }

    /** The entry if it has not expired; an expired one is dropped, as Redis would have. */
    private static <K, V extends Expiring> V live(Map<K, V> map, K key, Instant now) {
        V value = map.get(key);
        if (value != null && !now.isBefore(value.expiresAt())) {
            map.remove(key);
            return null;
        }
        return value;
    }

    private Instant now() {
        Instant now = clock.instant();
        if (!now.isBefore(nextSweep)) {
            nextSweep = now.plus(SWEEP_EVERY);
            liveTokens.values().removeIf(record -> !now.isBefore(record.expiresAt()));
            usedTokens.values().removeIf(record -> !now.isBefore(record.expiresAt()));
            sessions.entrySet().removeIf(entry -> !now.isBefore(entry.getValue().expiresAt()));
            userSessions.values().forEach(ids -> ids.removeIf(id -> !sessions.containsKey(id)));
            userSessions.values().removeIf(Set::isEmpty);
        }
        return now;
    }
}
