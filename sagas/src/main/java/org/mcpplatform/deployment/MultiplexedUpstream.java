package org.mcpplatform.deployment;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.ProtocolVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One MCP session with a server, shared by every client (gateway session) of the deployment: a multiplexer over the
 * low-level {@link McpClientTransport}, not the SDK's McpAsyncClient, which owns its session and would answer the
 * server's requests (sampling, roots) itself instead of handing them to the client that can.
 * <p>
 * Rewriting: every forwarded request gets an id of the platform's ("g-N"), and a progress token in
 * {@code params._meta} is replaced by that id, so two clients that both use id 1 or token "t" never collide; the
 * answer and the progress notifications go back with the client's own id and token. Server-initiated requests are
 * forwarded to a client with an id "s-N" of ours, and the client's answer goes back under the server's id.
 * <p>
 * Threads: the hot path is lock-free (ConcurrentHashMaps, an atomic counter; the transport queues the bytes).
 * Everything the server sends is handled on the transport's reading thread, in the order the server wrote it: so a
 * request's progress notifications reach the client before its response. Hence {@link UpstreamClient#send} and the
 * callbacks of the futures returned by {@link #request} run on that thread and must not block.
 * Timeouts are found by a sweep every {@value #SWEEP_MILLIS} ms rather than a timer task per request, so a request
 * costs no scheduler work at all and a timed-out one holds no thread.
 */
final class MultiplexedUpstream implements RunningUpstream {

    /** JSON-RPC error codes of the platform's own answers. */
    static final int UNAVAILABLE = -32000;
    static final int TIMED_OUT = -32001;
    static final int BLOCKED = -32003;
    static final int METHOD_NOT_FOUND = McpSchema.ErrorCodes.METHOD_NOT_FOUND;

    static final String CLIENT_NAME = "mcp-platform-gateway";
    static final String CLIENT_VERSION = "0.1.0";
    static final String METHOD_CANCELLED = "notifications/cancelled";
    private static final long SWEEP_MILLIS = 100;
    private static final String JSONRPC = McpSchema.JSONRPC_VERSION;
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    private static final Logger log = LoggerFactory.getLogger(MultiplexedUpstream.class);

    private final String deploymentId;
    private final String toolId;
    private final String slug;
    private final McpClientTransport transport;
    private final UpstreamLifecycle lifecycle;
    private final McpJsonMapper mapper;
    private final ScheduledExecutorService scheduler;

    private final AtomicLong ids = new AtomicLong();
    /** In-flight requests by the id the server sees. */
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    /** In-flight requests by the progress token the server sees. */
    private final ConcurrentHashMap<String, Pending> byProgressToken = new ConcurrentHashMap<>();
    /** Server-initiated requests handed to a client, by the id the client sees. */
    private final ConcurrentHashMap<String, ServerRequest> serverRequests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UpstreamClient, Attached> clients = new ConcurrentHashMap<>();

    private final List<Consumer<List<McpSchema.Tool>>> toolsListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> terminationListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean terminationReported = new AtomicBoolean();
    private volatile Set<String> blocked = Set.of();
    private volatile McpSchema.InitializeResult initializeResult;
    private volatile Context sendContext = Context.empty();
    /** Why it no longer takes requests; null while it runs. */
    private volatile String closedReason;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> sweeper;

    MultiplexedUpstream(UpstreamSpec spec, McpClientTransport transport, UpstreamLifecycle lifecycle,
                        McpJsonMapper mapper, ScheduledExecutorService scheduler) {
        this.deploymentId = spec.deploymentId();
        this.toolId = spec.toolId();
        this.slug = spec.slug();
        this.transport = transport;
        this.lifecycle = lifecycle;
        this.mapper = mapper;
        this.scheduler = scheduler;
    }

    // ---------------------------------------------------------------- start

    /**
     * Connects the transport (a child starts here), sends initialize and then notifications/initialized. The client
     * capabilities declare sampling, elicitation and roots so that the server offers the features that need them;
     * its requests for them are forwarded to clients that declared them too.
     */
    CompletableFuture<MultiplexedUpstream> start(Duration timeout) {
        lifecycle.onGone(this::terminated);
        sweeper = scheduler.scheduleWithFixedDelay(this::expireTimedOut, SWEEP_MILLIS, SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
        var capabilities = McpSchema.ClientCapabilities.builder().roots(true).sampling().elicitation().build();
        var initialize = new McpSchema.InitializeRequest(latestProtocolVersion(), capabilities,
                new McpSchema.Implementation(CLIENT_NAME, CLIENT_VERSION));
        return transport.connect(message -> message.doOnNext(this::received).then(Mono.empty()))
                .toFuture()
                .thenCompose(connected -> forward(McpSchema.METHOD_INITIALIZE, mapper.convertValue(initialize, MAP),
                        null, null, null, timeout, false))
                .thenApply(response -> {
                    if (response.error() != null) {
                        // a server that died before it answered did not refuse: the error is our own, say why
                        String gone = closedReason;
                        throw new CompletionException(new UpstreamFailure(
                                gone != null ? gone : "The server refused initialize: " + response.error().message()));
                    }
                    var result = mapper.convertValue(response.result(), McpSchema.InitializeResult.class);
                    if (!transport.protocolVersions().contains(result.protocolVersion())) {
                        throw new CompletionException(new UpstreamFailure(
                                "The server speaks an unsupported protocol version: " + result.protocolVersion()));
                    }
                    initializeResult = result;
                    // the HTTP transports send it as MCP-Protocol-Version on every later request
                    sendContext = Context.of(McpAsyncClient.NEGOTIATED_PROTOCOL_VERSION, result.protocolVersion());
                    send(new JSONRPCNotification(JSONRPC, McpSchema.METHOD_NOTIFICATION_INITIALIZED, null), null);
                    return this;
                });
    }

    private String latestProtocolVersion() {
        return transport.protocolVersions().stream().max(String::compareTo).orElse(ProtocolVersions.MCP_2025_11_25);
    }

    // ---------------------------------------------------------------- Upstream

    @Override
    public String deploymentId() {
        return deploymentId;
    }

    @Override
    public String toolId() {
        return toolId;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public McpSchema.InitializeResult initializeResult() {
        return initializeResult;
    }

    @Override
    public CompletableFuture<JSONRPCResponse> request(JSONRPCRequest request, UpstreamClient client,
                                                      Duration timeout) {
        Objects.requireNonNull(client, "client");
        Map<String, Object> params = asMap(request.params());
        String method = request.method();
        if (McpSchema.METHOD_TOOLS_CALL.equals(method) && params != null) {
            Set<String> blockedNow = blocked;
            Object name = params.get("name");
            if (!blockedNow.isEmpty() && name instanceof String toolName && blockedNow.contains(toolName)) {
                return CompletableFuture.completedFuture(error(request.id(), BLOCKED, "Tool '" + toolName
                        + "' is blocked: its definition changed since it was pinned; an admin must approve it"));
            }
        }
        // a complete tools/list (no cursor asked, none returned) is reported to the pinning listeners
        boolean reportsTools = McpSchema.METHOD_TOOLS_LIST.equals(method)
                && (params == null || params.get("cursor") == null);
        return forward(method, params, request.id(), client, attach(client), timeout, reportsTools);
    }

    @Override
    public void notify(JSONRPCNotification notification, UpstreamClient client) {
        Attached attached = attach(client);
        String method = notification.method();
        if (McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(method)) {
            return; // the platform initialized the server once, at launch
        }
        if (METHOD_CANCELLED.equals(method)) {
            Map<String, Object> params = asMap(notification.params());
            Object requestId = params == null ? null : params.get("requestId");
            String upstreamId = requestId == null ? null : attached.inflight.get(idKey(requestId));
            Pending cancelled = upstreamId == null ? null : pending.get(upstreamId);
            if (cancelled != null && release(cancelled)) {
                sendCancelled(upstreamId, params.get("reason") instanceof String reason ? reason : null);
                cancelled.future.complete(error(cancelled.clientId, UNAVAILABLE, "Request cancelled"));
            }
            return;
        }
        // notifications/progress of a client is about a request of the server's (token is the server's own), and
        // roots/list_changed concerns the server as a whole: both pass unchanged
        if (closedReason == null) {
            send(notification, null);
        }
    }

    @Override
    public void respond(JSONRPCResponse response, UpstreamClient client) {
        String clientRequestId = String.valueOf(response.id());
        ServerRequest request = serverRequests.get(clientRequestId);
        if (request == null || request.client != client || !serverRequests.remove(clientRequestId, request)) {
            return; // not a request we gave this client, or answered already
        }
        send(new JSONRPCResponse(JSONRPC, request.upstreamId, response.result(), response.error()), null);
    }

    @Override
    public void detach(UpstreamClient client) {
        Attached attached = clients.remove(client);
        if (attached == null) {
            return;
        }
        for (String upstreamId : attached.inflight.values()) {
            Pending abandoned = pending.get(upstreamId);
            if (abandoned != null && release(abandoned)) {
                sendCancelled(upstreamId, "The client session ended");
                abandoned.future.complete(error(abandoned.clientId, UNAVAILABLE, "The client session ended"));
            }
        }
        serverRequests.forEach((clientRequestId, request) -> {
            if (request.client == client && serverRequests.remove(clientRequestId, request)) {
                send(error(request.upstreamId, McpSchema.ErrorCodes.INTERNAL_ERROR, "The client session ended"),
                        null);
            }
        });
    }

    // ---------------------------------------------------------------- RunningUpstream

    @Override
    public Long pid() {
        return lifecycle.pid();
    }

    @Override
    public CompletableFuture<Long> ping(Duration timeout) {
        long started = System.nanoTime();
        return platformRequest(McpSchema.METHOD_PING, null, timeout)
                .thenApply(response -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public CompletableFuture<List<McpSchema.Tool>> listTools(Duration timeout) {
        return listToolsFrom(null, new ArrayList<>(), new HashSet<>(), timeout).thenApply(tools -> {
            List<McpSchema.Tool> all = List.copyOf(tools);
            reportTools(all);
            return all;
        });
    }

    private CompletableFuture<List<McpSchema.Tool>> listToolsFrom(String cursor, List<McpSchema.Tool> collected,
                                                                 Set<String> seenCursors, Duration timeout) {
        Map<String, Object> params = cursor == null ? null : Map.of("cursor", cursor);
        return platformRequest(McpSchema.METHOD_TOOLS_LIST, params, timeout).thenCompose(response -> {
            var page = mapper.convertValue(response.result(), McpSchema.ListToolsResult.class);
            if (page.tools() != null) {
                collected.addAll(page.tools());
            }
            String next = page.nextCursor();
            // a server that hands out the same cursor again would keep us paging forever
            if (next == null || next.isEmpty() || !seenCursors.add(next)) {
                return CompletableFuture.completedFuture(collected);
            }
            return listToolsFrom(next, collected, seenCursors, timeout);
        });
    }

    /** A request of the platform's own: completes with the response, or exceptionally for a JSON-RPC error. */
    private CompletableFuture<JSONRPCResponse> platformRequest(String method, Map<String, Object> params,
                                                               Duration timeout) {
        return forward(method, params, null, null, null, timeout, false).thenApply(response -> {
            if (response.error() != null) {
                throw new CompletionException(new UpstreamFailure(method + " failed: " + response.error().message()
                        + " (" + response.error().code() + ")"));
            }
            return response;
        });
    }

    /** Replaces the set of blocked tools (an empty set unblocks all). */
    @Override
    public void block(Set<String> toolNames) {
        blocked = Set.copyOf(toolNames);
    }

    @Override
    public void onTermination(Consumer<String> listener) {
        terminationListeners.add(listener);
        String reason = closedReason;
        if (reason != null && !stopped && terminationReported.get() && terminationListeners.remove(listener)) {
            listener.accept(reason);
        }
    }

    @Override
    public void onToolsListed(Consumer<List<McpSchema.Tool>> listener) {
        toolsListeners.add(listener);
    }

    @Override
    public List<String> stderr() {
        return lifecycle.stderr();
    }

    @Override
    public CompletableFuture<Void> stop(Duration grace) {
        stopped = true;
        close("The upstream server was stopped");
        return lifecycle.stop(grace);
    }

    // ---------------------------------------------------------------- outbound

    private CompletableFuture<JSONRPCResponse> forward(String method, Map<String, Object> params, Object clientId,
                                                       UpstreamClient client, Attached attached, Duration timeout,
                                                       boolean reportsTools) {
        String upstreamId = "g-" + ids.incrementAndGet();
        if (clientId == null) {
            clientId = upstreamId; // the platform's own request: JSON-RPC responses must carry an id
        }
        if (closedReason != null) {
            return CompletableFuture.completedFuture(error(clientId, UNAVAILABLE, closedReason));
        }
        Object clientToken = null;
        String upstreamToken = null;
        Map<String, Object> sentParams = params;
        if (params != null && params.get("_meta") instanceof Map<?, ?> meta && meta.get("progressToken") != null) {
            clientToken = meta.get("progressToken");
            upstreamToken = upstreamId; // unique like the id, and never one a client chose
            Map<String, Object> sentMeta = new LinkedHashMap<>(asMap(meta));
            sentMeta.put("progressToken", upstreamToken);
            sentParams = new LinkedHashMap<>(params);
            sentParams.put("_meta", sentMeta);
        }
        Pending request = new Pending(upstreamId, clientId, client, attached, method, clientToken, upstreamToken,
                timeout, reportsTools);
        pending.put(upstreamId, request);
        if (upstreamToken != null) {
            byProgressToken.put(upstreamToken, request);
        }
        if (attached != null) {
            attached.inflight.put(idKey(clientId), upstreamId);
        }
        String closed = closedReason;
        if (closed != null) { // closed while we registered: nobody else will answer it
            fail(request, UNAVAILABLE, closed);
            return request.future;
        }
        send(new JSONRPCRequest(JSONRPC, method, upstreamId, sentParams), request);
        return request.future;
    }

    private void send(JSONRPCMessage message, Pending request) {
        try {
            transport.sendMessage(message).contextWrite(sendContext).subscribe(null, error -> {
                log.debug("Sending to upstream {} failed", slug, error);
                if (request != null) {
                    fail(request, UNAVAILABLE, "The upstream server could not be reached");
                }
            });
        } catch (RuntimeException e) {
            log.debug("Sending to upstream {} failed", slug, e);
            if (request != null) {
                fail(request, UNAVAILABLE, "The upstream server could not be reached");
            }
        }
    }

    private void sendCancelled(String upstreamId, String reason) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requestId", upstreamId);
        if (reason != null) {
            params.put("reason", reason);
        }
        if (closedReason == null) {
            send(new JSONRPCNotification(JSONRPC, METHOD_CANCELLED, params), null);
        }
    }

    private void expireTimedOut() {
        long now = System.nanoTime();
        for (Pending request : pending.values()) {
            if (now - request.deadlineNanos >= 0 && release(request)) {
                sendCancelled(request.upstreamId, "Timed out");
                request.future.complete(error(request.clientId, TIMED_OUT,
                        "Request timed out after " + seconds(request.timeout) + "s"));
            }
        }
    }

    private static String seconds(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    // ---------------------------------------------------------------- inbound (the transport's reading thread)

    private void received(JSONRPCMessage message) {
        try {
            if (message instanceof JSONRPCResponse response) {
                onResponse(response);
            } else if (message instanceof JSONRPCNotification notification) {
                onNotification(notification);
            } else if (message instanceof JSONRPCRequest request) {
                onServerRequest(request);
            }
        } catch (RuntimeException e) {
            log.warn("Handling a message of upstream {} failed", slug, e);
        }
    }

    private void onResponse(JSONRPCResponse response) {
        Pending request = pending.get(String.valueOf(response.id()));
        if (request == null || !release(request)) {
            return; // answered after it timed out or was cancelled
        }
        if (request.reportsTools && response.error() == null) {
            reportToolsPage(response.result());
        }
        request.future.complete(new JSONRPCResponse(JSONRPC, request.clientId, response.result(), response.error()));
    }

    private void onNotification(JSONRPCNotification notification) {
        String method = notification.method();
        if (McpSchema.METHOD_NOTIFICATION_PROGRESS.equals(method)) {
            Map<String, Object> params = asMap(notification.params());
            Object token = params == null ? null : params.get("progressToken");
            Pending request = token == null ? null : byProgressToken.get(String.valueOf(token));
            if (request != null && request.client != null) {
                Map<String, Object> restored = new LinkedHashMap<>(params);
                restored.put("progressToken", request.clientToken);
                request.client.send(new JSONRPCNotification(JSONRPC, method, restored), request.clientId);
            }
            return;
        }
        if (METHOD_CANCELLED.equals(method)) {
            // the server gives up a request it sent: tell the client that has it, under the client's id. A
            // cancellation naming one of our own ids makes no sense coming from the server: dropped.
            Map<String, Object> params = asMap(notification.params());
            Object requestId = params == null ? null : params.get("requestId");
            serverRequests.forEach((clientRequestId, request) -> {
                if (requestId != null && idKey(requestId).equals(idKey(request.upstreamId))
                        && serverRequests.remove(clientRequestId, request)) {
                    Map<String, Object> forwarded = new LinkedHashMap<>(params);
                    forwarded.put("requestId", clientRequestId);
                    request.client.send(new JSONRPCNotification(JSONRPC, method, forwarded), request.relatedRequestId);
                }
            });
            return;
        }
        // list_changed, resources/updated, logging: about the session as a whole, so every client hears them
        for (UpstreamClient client : clients.keySet()) {
            try {
                client.send(notification, null);
            } catch (RuntimeException e) {
                log.debug("A client of upstream {} could not take a notification", slug, e);
            }
        }
    }

    /**
     * A request of the server's (sampling, elicitation, roots). Which client should answer it? MCP has no field
     * saying which of its requests the server is working on when it asks. Heuristic: the server asks while it
     * handles a request, so the client with the <em>oldest in-flight request</em> that declared the capability
     * gets it (with exactly one client waiting, that one). Ping the platform answers itself; with nobody to ask,
     * the server gets "method not found", as from a client without the capability.
     */
    private void onServerRequest(JSONRPCRequest request) {
        String method = request.method();
        if (McpSchema.METHOD_PING.equals(method)) {
            send(new JSONRPCResponse(JSONRPC, request.id(), Map.of(), null), null);
            return;
        }
        String capability = switch (method) {
            case McpSchema.METHOD_SAMPLING_CREATE_MESSAGE -> "sampling";
            case McpSchema.METHOD_ELICITATION_CREATE -> "elicitation";
            case McpSchema.METHOD_ROOTS_LIST -> "roots";
            default -> null;
        };
        Pending owner = capability == null ? null : oldestWaitingDeclaring(capability);
        if (owner == null) {
            send(error(request.id(), METHOD_NOT_FOUND, capability == null ? "Method not found: " + method
                    : "No connected client can answer " + method), null);
            return;
        }
        String clientRequestId = "s-" + ids.incrementAndGet();
        serverRequests.put(clientRequestId, new ServerRequest(request.id(), owner.client, owner.clientId));
        owner.client.send(new JSONRPCRequest(JSONRPC, method, clientRequestId, request.params()), owner.clientId);
    }

    private Pending oldestWaitingDeclaring(String capability) {
        Pending oldest = null;
        for (Pending candidate : pending.values()) {
            if (candidate.client != null && (oldest == null || candidate.startedNanos - oldest.startedNanos < 0)
                    && candidate.client.declares(capability)) {
                oldest = candidate;
            }
        }
        return oldest;
    }

    private void reportToolsPage(Object result) {
        try {
            var page = mapper.convertValue(result, McpSchema.ListToolsResult.class);
            if (page.nextCursor() == null || page.nextCursor().isEmpty()) {
                reportTools(page.tools() == null ? List.of() : List.copyOf(page.tools()));
            }
        } catch (RuntimeException e) {
            log.warn("Upstream {} answered tools/list with something that is not a tool list", slug, e);
        }
    }

    private void reportTools(List<McpSchema.Tool> tools) {
        for (Consumer<List<McpSchema.Tool>> listener : toolsListeners) {
            try {
                listener.accept(tools);
            } catch (RuntimeException e) {
                log.warn("A tools listener of upstream {} failed", slug, e);
            }
        }
    }

    // ---------------------------------------------------------------- ending

    private void terminated(String reason) {
        close("The upstream server stopped: " + reason);
        if (!stopped && terminationReported.compareAndSet(false, true)) {
            for (Consumer<String> listener : terminationListeners) {
                try {
                    listener.accept(reason);
                } catch (RuntimeException e) {
                    log.warn("A termination listener of upstream {} failed", slug, e);
                }
            }
        }
    }

    /** Takes no more requests and answers every waiting one with an error. */
    private void close(String reason) {
        if (closedReason == null) {
            closedReason = reason;
        }
        ScheduledFuture<?> sweep = sweeper;
        if (sweep != null) {
            sweep.cancel(false);
        }
        for (Pending request : pending.values()) {
            fail(request, UNAVAILABLE, closedReason);
        }
        serverRequests.clear();
    }

    // ---------------------------------------------------------------- bookkeeping

    private Attached attach(UpstreamClient client) {
        Attached attached = clients.get(client);
        if (attached == null) {
            attached = clients.computeIfAbsent(client, c -> new Attached());
        }
        return attached;
    }

    /** Removes it from every index; true for the one caller that may complete it. */
    private boolean release(Pending request) {
        if (!pending.remove(request.upstreamId, request)) {
            return false;
        }
        if (request.upstreamToken != null) {
            byProgressToken.remove(request.upstreamToken, request);
        }
        if (request.attached != null) {
            request.attached.inflight.remove(idKey(request.clientId), request.upstreamId);
        }
        return true;
    }

    private void fail(Pending request, int code, String message) {
        if (release(request)) {
            request.future.complete(error(request.clientId, code, message));
        }
    }

    private static JSONRPCResponse error(Object id, int code, String message) {
        return new JSONRPCResponse(JSONRPC, id, null, new JSONRPCError(code, message, null));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(Object params) {
        if (params == null) {
            return null;
        }
        if (params instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        return mapper.convertValue(params, MAP);
    }

    /** JSON numbers may arrive as Integer or Long; 1 and 1L are the same id. */
    private static Object idKey(Object id) {
        return id instanceof Number number ? (Object) number.longValue() : id;
    }

    /** A request on its way: who asked, under which id and token, until when. */
    private static final class Pending {
        final String upstreamId;
        final Object clientId;
        final UpstreamClient client;
        final Attached attached;
        final String method;
        final Object clientToken;
        final String upstreamToken;
        final Duration timeout;
        final long startedNanos = System.nanoTime();
        final long deadlineNanos;
        final boolean reportsTools;
        final CompletableFuture<JSONRPCResponse> future = new CompletableFuture<>();

        Pending(String upstreamId, Object clientId, UpstreamClient client, Attached attached, String method,
                Object clientToken, String upstreamToken, Duration timeout, boolean reportsTools) {
            this.upstreamId = upstreamId;
            this.clientId = clientId;
            this.client = client;
            this.attached = attached;
            this.method = method;
            this.clientToken = clientToken;
            this.upstreamToken = upstreamToken;
            this.timeout = timeout;
            this.deadlineNanos = startedNanos + timeout.toNanos();
            this.reportsTools = reportsTools;
        }
    }

    /** A client the server's notifications go to, and its in-flight requests (client id → upstream id). */
    private static final class Attached {
        final ConcurrentHashMap<Object, String> inflight = new ConcurrentHashMap<>();
    }

    /** A request of the server's, handed to a client. */
    private record ServerRequest(Object upstreamId, UpstreamClient client, Object relatedRequestId) {
    }

    /** The upstream answered something that makes the operation fail. Messages carry no secrets. */
    static final class UpstreamFailure extends RuntimeException {
        UpstreamFailure(String message) {
            super(message);
        }
    }
}
