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
final class GatewaySession implements UpstreamClient, SseStream.Recorder {

    /** How many recent events a session keeps for clients that resume a stream (Last-Event-ID). */
    static final int REPLAY_EVENTS = 256;

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
    /** The most recent events of all the session's streams, oldest first; bounded by {@link #REPLAY_EVENTS}. */
    private final java.util.ArrayDeque<Recorded> replay = new java.util.ArrayDeque<>();
    /** Request streams by stream id: their request's id, while the request runs. */
    private final Map<String, Object> streamRequests = new ConcurrentHashMap<>();
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
    public synchronized void send(McpSchema.JSONRPCMessage message, Object relatedRequestId) {
        // a request's messages stay on its stream until its response, also when the client dropped the connection:
        // they are then kept for a resumption (GET with Last-Event-ID) only
        SseStream stream = relatedRequestId == null ? null : requestStreams.get(key(relatedRequestId));
        if (stream == null) {
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
        streamRequests.put(stream.streamId(), requestId);
    }

    /**
     * Sends a request's response on the request's current stream (the one opened by its POST, or the one a
     * resumption took over) and ends that stream; null ends it without one.
     */
    synchronized void respond(Object requestId, byte[] response) {
        SseStream stream = requestStreams.remove(key(requestId));
        if (stream != null) {
            streamRequests.remove(stream.streamId());
            if (response != null) {
                stream.send(response);
            }
            stream.finish();
        }
    }

    @Override
    public synchronized void record(String streamId, long sequence, byte[] event) {
        replay.addLast(new Recorded(streamId, sequence, event));
        while (replay.size() > REPLAY_EVENTS) {
            replay.removeFirst();
        }
    }

    /** The sequence of the last event recorded for a stream, or -1 when none is kept. */
    synchronized long lastSequence(String streamId) {
        long last = -1;
        for (Recorded event : replay) {
            if (event.streamId.equals(streamId)) {
                last = event.sequence;
            }
        }
        return last;
    }

    /**
     * Resumes a stream after its event {@code afterSequence}: queues the kept events that followed on {@code resumed}
     * (a new stream with the same id, continuing its numbering) and makes it carry the rest of the stream: the
     * request's remaining messages and response while it runs, else nothing more (it ends), or the session's messages
     * when it was the GET stream. Only events of that one stream are replayed, as the spec requires.
     */
    synchronized boolean resume(String streamId, long afterSequence, SseStream resumed) {
        if (isStandaloneId(streamId) && !openStandalone(resumed)) {
            return false;
        }
        // under the lock that send() holds: no event of the stream can be numbered between this and the takeover
        resumed.continueAfter(lastSequence(streamId));
        for (Recorded event : replay) {
            if (event.streamId.equals(streamId) && event.sequence > afterSequence) {
                resumed.replay(event.event);
            }
        }
        if (isStandaloneId(streamId)) {
            return true;
        }
        Object requestId = streamRequests.remove(streamId);
        if (requestId != null) {
            requestStreams.put(key(requestId), resumed);
            streamRequests.put(streamId, requestId);
        } else {
            resumed.finish(); // the request is over: everything it sent was replayed
        }
        return true;
    }

    static boolean isStandaloneId(String streamId) {
        return streamId.startsWith("g");
    }

    private record Recorded(String streamId, long sequence, byte[] event) {
    }

    /** Installs the GET stream; false when one is open already (the spec allows one per session here). */
    boolean openStandalone(SseStream stream) {
        SseStream current = standalone.get();
        if (current != null && current.isOpen()) {
            return false;
        }
        return standalone.compareAndSet(current, stream);
    }

    boolean standaloneOpen() {
        SseStream current = standalone.get();
        return current != null && current.isOpen();
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
