package org.mcpplatform.gateway;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.UpstreamClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client's MCP session at /mcp/{slug}: bound to the user who opened it and to the slug, remembering what the
 * client declared at initialize. Messages the upstream sends for one of the client's requests go on that request's
 * SSE stream; messages of the session as a whole (and those of a request answered as plain JSON) go on the GET
 * stream when one is open, else they are dropped, as the spec allows.
 */
final class GatewaySession implements UpstreamClient {

    private static final Logger log = LoggerFactory.getLogger(GatewaySession.class);

    private final String id;
    private final String userId;
    private final String slug;
    private final String protocolVersion;
    private final Map<String, Object> clientCapabilities;
    private final McpJsonMapper json;
    private final Map<String, SseStream> requestStreams = new ConcurrentHashMap<>();
    private final AtomicReference<SseStream> standalone = new AtomicReference<>();
    private final AtomicLong streams = new AtomicLong();
    private volatile Upstream upstream;
    private volatile long lastActiveNanos = System.nanoTime();

    GatewaySession(String id, String userId, String slug, String protocolVersion,
                   Map<String, Object> clientCapabilities, Upstream upstream, McpJsonMapper json) {
        this.id = id;
        this.userId = userId;
        this.slug = slug;
        this.protocolVersion = protocolVersion;
        this.clientCapabilities = clientCapabilities;
        this.upstream = upstream;
        this.json = json;
    }

    @Override
    public String sessionId() {
        return id;
    }

    String userId() {
        return userId;
    }

    String slug() {
        return slug;
    }

    String protocolVersion() {
        return protocolVersion;
    }

    /** The upstream the session last talked to (a restarted deployment has a new one). */
    Upstream upstream() {
        return upstream;
    }

    void use(Upstream current) {
        upstream = current;
        lastActiveNanos = System.nanoTime();
    }

    /** Idle: no request for {@code idleNanos} and no GET stream open (an open stream is a client still there). */
    boolean idleFor(long idleNanos, long now) {
        SseStream open = standalone.get();
        return (open == null || !open.isOpen()) && now - lastActiveNanos > idleNanos;
    }

    @Override
    public boolean declares(String capability) {
        return clientCapabilities.containsKey(capability);
    }

    @Override
    public void send(McpSchema.JSONRPCMessage message, Object relatedRequestId) {
        SseStream stream = relatedRequestId == null ? null : requestStreams.get(key(relatedRequestId));
        if (stream == null || !stream.isOpen()) {
            stream = standalone.get();
        }
        if (stream == null) {
            return; // no stream to carry it: dropped, as the spec allows for a session without a GET stream
        }
        try {
            stream.send(json.writeValueAsBytes(message));
        } catch (IOException e) {
            log.warn("A message from the upstream of {} could not be serialized: {}", slug, e.toString());
        }
    }

    String nextStreamId() {
        return Long.toString(streams.incrementAndGet());
    }

    void openRequestStream(Object requestId, SseStream stream) {
        requestStreams.put(key(requestId), stream);
    }

    void closeRequestStream(Object requestId, SseStream stream) {
        requestStreams.remove(key(requestId), stream);
    }

    /** Installs the GET stream; false when one is open already (the spec allows one per session here). */
    boolean openStandalone(SseStream stream) {
        SseStream current = standalone.get();
        if (current != null && current.isOpen()) {
            return false;
        }
        return standalone.compareAndSet(current, stream);
    }

    void standaloneClosed(SseStream stream) {
        standalone.compareAndSet(stream, null);
    }

    void keepAlive() {
        SseStream open = standalone.get();
        if (open != null) {
            open.keepAlive();
        }
        requestStreams.values().forEach(SseStream::keepAlive);
    }

    void closeStreams() {
        SseStream open = standalone.getAndSet(null);
        if (open != null) {
            open.close();
        }
        requestStreams.values().forEach(SseStream::close);
        requestStreams.clear();
    }

    /** JSON-RPC ids are strings or numbers; 1 and 1.0 are the same id, "1" is another. */
    private static String key(Object requestId) {
        if (requestId instanceof Number number) {
            double value = number.doubleValue();
            return value == Math.rint(value) ? "n" + number.longValue() : "n" + value;
        }
        return "s" + requestId;
    }
}
