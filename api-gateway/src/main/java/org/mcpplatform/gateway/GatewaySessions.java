package org.mcpplatform.gateway;

import io.modelcontextprotocol.json.McpJsonMapper;
import org.mcpplatform.deployment.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway sessions of this node, in memory: a client whose node goes away initializes again (the spec's answer to
 * a 404 on its session id). Sessions idle longer than {@code mcp.gateway.session-idle-timeout} end, and an ended
 * session is detached from its upstream. Also owns the threads that write SSE streams and send their keep-alives.
 */
@Component
class GatewaySessions implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GatewaySessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GatewayProperties properties;
    private final Map<String, GatewaySession> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    /** Open SSE responses of stateless (2026-07-28) requests: no session owns them, they still need keep-alives. */
    private final java.util.Set<SseStream> sessionless = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            daemon("mcp-gateway-sessions"));
    private final ExecutorService writers = Executors.newCachedThreadPool(daemon("mcp-gateway-sse"));

    GatewaySessions(GatewayProperties properties) {
        this.properties = properties;
        long sweep = Math.max(1_000, Math.min(30_000, properties.sessionIdleTimeout().toMillis() / 10));
        timer.scheduleWithFixedDelay(this::expireIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        long keepAlive = properties.keepAliveInterval().toMillis();
        timer.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
    }

    /** Thrown when a user already holds {@code mcp.gateway.max-sessions-per-user} sessions. */
    static final class TooManySessions extends RuntimeException {
        TooManySessions(int limit) {
            super("You already have " + limit + " open MCP sessions on this server; end some (DELETE with their "
                          + "Mcp-Session-Id) or wait until they expire");
        }
    }

    GatewaySession open(String userId, String slug, String protocolVersion, Map<String, Object> capabilities,
                        Upstream upstream, McpJsonMapper json) {
        int limit = properties.maxSessionsPerUser();
        AtomicInteger count = perUser.computeIfAbsent(userId, id -> new AtomicInteger());
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            throw new TooManySessions(limit);
        }
        GatewaySession session = new GatewaySession(newId(), userId, slug, protocolVersion, capabilities, upstream,
                                                    json);
        sessions.put(session.sessionId(), session);
        return session;
    }

    Optional<GatewaySession> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    /** Ends a session: its streams close and the upstream stops routing to it. */
    void close(GatewaySession session) {
        if (!sessions.remove(session.sessionId(), session)) {
            return;
        }
        perUser.computeIfPresent(session.userId(), (user, count) -> count.decrementAndGet() <= 0 ? null : count);
        session.closeStreams();
        try {
            session.upstream().detach(session);
        } catch (RuntimeException e) {
            log.warn("Detaching an ended session from the upstream of {} failed: {}", session.slug(), e.toString());
        }
    }

    int openSessions(String userId) {
        AtomicInteger count = perUser.get(userId);
        return count == null ? 0 : count.get();
    }

    /**
     * Keeps a sessionless stream alive until it closes (call {@link #untrack} then). The keep-alive is also what finds
     * out that a client closed its stream, which in 2026-07-28 cancels the request.
     */
    void track(SseStream stream) {
        sessionless.add(stream);
    }

    void untrack(SseStream stream) {
        sessionless.remove(stream);
    }

    ExecutorService writers() {
        return writers;
    }

    Duration keepAliveInterval() {
        return properties.keepAliveInterval();
    }

    private void expireIdle() {
        try {
            long idle = properties.sessionIdleTimeout().toNanos();
            long now = System.nanoTime();
            sessions.values().stream().filter(session -> session.idleFor(idle, now)).toList().forEach(this::close);
        } catch (RuntimeException e) {
            log.warn("Expiring idle MCP sessions failed: {}", e.toString());
        }
    }

    private void keepAlive() {
        try {
            sessions.values().forEach(GatewaySession::keepAlive);
            sessionless.forEach(SseStream::keepAlive);
        } catch (RuntimeException e) {
            log.warn("Sending SSE keep-alives failed: {}", e.toString());
        }
    }

    /** 256 random bits, URL-safe: visible ASCII only, as the spec requires of session ids. */
    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        sessions.values().forEach(this::close);
        writers.shutdownNow();
    }
}
