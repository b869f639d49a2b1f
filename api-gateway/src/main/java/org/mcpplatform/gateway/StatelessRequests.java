package org.mcpplatform.gateway;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.security.PlatformUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The stateless revision 2026-07-28 on /mcp/{slug}: no initialize and no session. Every POST carries its version,
 * client info and capabilities in {@code params._meta}, mirrored for intermediaries into the MCP-Protocol-Version,
 * Mcp-Method and Mcp-Name headers, which must agree with the body. The gateway answers server/discover itself from
 * the upstream's initialize result and relays every other request to the deployment's (legacy, shared) upstream
 * session with a {@link StatelessClient} made for that one request.
 * <p>
 * A request with a progress token is answered as SSE so that its progress can reach the client; closing that stream
 * cancels the request (the revision's only way to cancel over HTTP), which the upstream turns into
 * notifications/cancelled. Other requests are answered as one JSON body, on the request's own thread.
 */
@Component
class StatelessRequests {

    private static final Logger log = LoggerFactory.getLogger(StatelessRequests.class);
    /** Results the revision makes cacheable: they must say for how long (the gateway does not know: 0). */
    private static final Set<String> CACHEABLE = Set.of(McpSchema.METHOD_TOOLS_LIST, McpSchema.METHOD_PROMPT_LIST,
                                                        McpSchema.METHOD_RESOURCES_LIST,
                                                        McpSchema.METHOD_RESOURCES_TEMPLATES_LIST,
                                                        McpSchema.METHOD_RESOURCES_READ);
    /**
     * Methods the gateway does not serve statelessly: a listen stream it does not implement, and legacy methods that
     * would change the deployment's one upstream session for every client of it.
     */
    private static final Set<String> NOT_SERVED = Set.of("subscriptions/listen", McpSchema.METHOD_LOGGING_SET_LEVEL,
                                                         McpSchema.METHOD_RESOURCES_SUBSCRIBE,
                                                         McpSchema.METHOD_RESOURCES_UNSUBSCRIBE,
                                                         McpSchema.METHOD_INITIALIZE);
    /** Capabilities the revision defines for servers; the rest of a legacy server's (e.g. tasks) is left out. */
    private static final Set<String> MODERN_CAPABILITIES = Set.of("experimental", "logging", "completions", "prompts",
                                                                  "resources", "tools", "extensions");

    private final GatewaySessions sessions;
    private final GatewayUsage usage;
    private final GatewayProperties properties;

    StatelessRequests(GatewaySessions sessions, GatewayUsage usage, GatewayProperties properties) {
        this.sessions = sessions;
        this.usage = usage;
        this.properties = properties;
    }

    /** Serves one POST whose MCP-Protocol-Version is 2026-07-28; authentication and Origin are checked already. */
    void post(McpSchema.JSONRPCMessage message, PlatformUser user, Upstream upstream, McpJsonMapper json,
              HttpServletRequest request, HttpServletResponse response) throws IOException, Refusal {
        if (message instanceof McpSchema.JSONRPCResponse) {
            throw new Refusal(400, McpProtocol.INVALID_REQUEST,
                              "Invalid Request: clients must not send responses in " + McpProtocol.STATELESS_VERSION);
        }
        if (message instanceof McpSchema.JSONRPCNotification) {
            // the revision defines no client notification over HTTP (cancelling is closing the stream): accepted, and
            // there is no request or session it could be about
            response.setStatus(202);
            return;
        }
        McpSchema.JSONRPCRequest call = (McpSchema.JSONRPCRequest) message;
        Map<?, ?> capabilities = checkHeaders(call, request);
        if (McpProtocol.METHOD_DISCOVER.equals(call.method())) {
            write(json, response, 200, McpProtocol.result(call.id(), discover(upstream.initializeResult(), json)));
        } else if (McpSchema.METHOD_PING.equals(call.method())) {
            write(json, response, 200, McpProtocol.result(call.id(), Map.of("resultType", "complete")));
        } else if (NOT_SERVED.contains(call.method())) {
            throw new Refusal(404, McpProtocol.METHOD_NOT_FOUND, "Method not found: " + call.method(), call.id());
        } else {
            McpSchema.JSONRPCRequest forwarded = withoutReservedMeta(call);
            StatelessClient client = new StatelessClient(call.id(), capabilities, upstream, json);
            if (McpProtocol.progressToken(call) != null) {
                forwardAsStream(forwarded, client, upstream, user, json, request, response);
            } else {
                forward(forwarded, client, upstream, user, json, response);
            }
        }
    }

    /**
     * The spec's server validation: MCP-Protocol-Version equals {@code _meta}'s version, Mcp-Method equals the
     * method, Mcp-Name equals params.name (tools/call, prompts/get) or params.uri (resources/read), after decoding.
     * Returns the request's declared client capabilities.
     */
    private static Map<?, ?> checkHeaders(McpSchema.JSONRPCRequest call, HttpServletRequest request) throws Refusal {
        Map<?, ?> meta = McpProtocol.meta(call);
        Object bodyVersion = meta == null ? null : meta.get(McpProtocol.META_PROTOCOL_VERSION);
        if (!McpProtocol.STATELESS_VERSION.equals(bodyVersion)) {
            throw mismatch(call, "MCP-Protocol-Version header value '" + McpProtocol.STATELESS_VERSION
                    + "' does not match params._meta." + McpProtocol.META_PROTOCOL_VERSION + " '" + bodyVersion + "'");
        }
        String method = request.getHeader(McpProtocol.METHOD_HEADER);
        if (method == null) {
            throw mismatch(call, "the Mcp-Method header is missing");
        }
        if (!method.equals(call.method())) {
            throw mismatch(call, "Mcp-Method header value '" + method + "' does not match body value '"
                    + call.method() + "'");
        }
        String nameField = switch (call.method()) {
            case McpSchema.METHOD_TOOLS_CALL, McpSchema.METHOD_PROMPT_GET -> "name";
            case McpSchema.METHOD_RESOURCES_READ -> "uri";
            default -> null;
        };
        if (nameField != null) {
            Object bodyName = call.params() instanceof Map<?, ?> params ? params.get(nameField) : null;
            String header = request.getHeader(McpProtocol.NAME_HEADER);
            if (header == null) {
                throw mismatch(call, "the Mcp-Name header is missing (required for " + call.method() + ")");
            }
            String decoded = McpProtocol.decodeHeaderValue(header);
            if (decoded == null || !decoded.equals(bodyName)) {
                throw mismatch(call, "Mcp-Name header value does not match params." + nameField);
            }
        }
        // required by the schema; a client that leaves it out is taken to declare nothing
        return meta.get(McpProtocol.META_CLIENT_CAPABILITIES) instanceof Map<?, ?> declared ? declared : Map.of();
    }

    private static Refusal mismatch(McpSchema.JSONRPCRequest call, String detail) {
        return new Refusal(400, McpProtocol.HEADER_MISMATCH, "Header mismatch: " + detail, call.id());
    }

    /**
     * DiscoverResult from what the server answered the platform's initialize. listChanged and subscribe are left out:
     * their notifications would come over subscriptions/listen, which the gateway does not offer.
     */
    private static Map<String, Object> discover(McpSchema.InitializeResult server, McpJsonMapper json) {
        Map<String, Object> capabilities = new LinkedHashMap<>();
        if (server.capabilities() != null) {
            Map<?, ?> declared = json.convertValue(server.capabilities(), Map.class);
            declared.forEach((name, value) -> {
                if (MODERN_CAPABILITIES.contains(String.valueOf(name)) && value != null) {
                    Object kept = value;
                    if (value instanceof Map<?, ?> settings) {
                        Map<Object, Object> copy = new LinkedHashMap<>(settings);
                        copy.remove("listChanged");
                        copy.remove("subscribe");
                        kept = copy;
                    }
                    capabilities.put(String.valueOf(name), kept);
                }
            });
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        result.put("supportedVersions", McpProtocol.ALL_VERSIONS);
        result.put("capabilities", capabilities);
        if (server.instructions() != null) {
            result.put("instructions", server.instructions());
        }
        // the deployment may be restarted with another server at any time, and access is per user
        result.put("ttlMs", 0);
        result.put("cacheScope", "private");
        if (server.serverInfo() != null) {
            // the schema of 2026-07-28 carries it in _meta; the draft's example as a field: both are valid results
            result.put("serverInfo", server.serverInfo());
            result.put("_meta", Map.of(McpProtocol.META_SERVER_INFO, server.serverInfo()));
        }
        return result;
    }

    /** The upstream speaks a legacy revision: the per-request protocol fields are the gateway's business, not its. */
    private static McpSchema.JSONRPCRequest withoutReservedMeta(McpSchema.JSONRPCRequest call) {
        Map<?, ?> params = (Map<?, ?>) call.params();
        Map<Object, Object> meta = new LinkedHashMap<>(McpProtocol.meta(call));
        meta.keySet().removeIf(key -> String.valueOf(key).startsWith(McpProtocol.META_RESERVED_PREFIX));
        Map<Object, Object> copy = new LinkedHashMap<>(params);
        if (meta.isEmpty()) {
            copy.remove("_meta");
        } else {
            copy.put("_meta", meta);
        }
        return new McpSchema.JSONRPCRequest(call.jsonrpc(), call.method(), call.id(), copy);
    }

    private void forward(McpSchema.JSONRPCRequest call, StatelessClient client, Upstream upstream, PlatformUser user,
                         McpJsonMapper json, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        Duration timeout = properties.requestTimeout();
        McpSchema.JSONRPCResponse answer;
        try {
            answer = UpstreamAnswers.await(upstream, call, client, timeout);
        } finally {
            upstream.detach(client); // done with this request: nothing more may be routed to it
        }
        answer = adapt(call, answer);
        // the spec: an unknown method is a 404, whose JSON-RPC body tells it from a legacy server's 404
        int status = answer.error() != null && answer.error().code() == McpProtocol.METHOD_NOT_FOUND ? 404 : 200;
        write(json, response, status, answer);
        usage.record(upstream, call, answer, status, start, user.id());
    }

    private void forwardAsStream(McpSchema.JSONRPCRequest call, StatelessClient client, Upstream upstream,
                                 PlatformUser user, McpJsonMapper json, HttpServletRequest request,
                                 HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        Duration timeout = properties.requestTimeout();
        AsyncContext async = request.startAsync();
        async.setTimeout(UpstreamAnswers.latest(timeout).plusSeconds(5).toMillis());
        SseStream[] holder = new SseStream[1];
        // however the stream ends, the request is over for the upstream: after the response that changes nothing,
        // before it (the client closed it) detaching cancels the request upstream, as the revision requires
        SseStream stream = new SseStream("r", async, response, sessions.writers(), () -> {
            sessions.untrack(holder[0]);
            upstream.detach(client);
        });
        holder[0] = stream;
        sessions.track(stream);
        client.streamTo(stream);
        SseStream.start(response);
        UpstreamAnswers.answer(upstream, call, client, timeout)
               .thenAccept(answer -> {
                   McpSchema.JSONRPCResponse reply = adapt(call, answer);
                   if (stream.isOpen()) {
                       try {
                           stream.send(json.writeValueAsBytes(reply));
                       } catch (IOException e) {
                           log.warn("A response from the upstream of {} could not be serialized: {}",
                                    upstream.slug(), e.toString());
                       }
                   }
                   stream.finish();
                   usage.record(upstream, call, reply, 200, start, user.id());
               });
    }

    /**
     * A legacy server's result in the revision's shape: every result says its resultType, cacheable ones say how long
     * they may be cached. What the server did say is kept.
     */
    private static McpSchema.JSONRPCResponse adapt(McpSchema.JSONRPCRequest call, McpSchema.JSONRPCResponse answer) {
        if (answer.error() != null || !(answer.result() instanceof Map<?, ?> result)) {
            return answer;
        }
        Map<Object, Object> adapted = new LinkedHashMap<>(result);
        adapted.putIfAbsent("resultType", "complete");
        if (CACHEABLE.contains(call.method())) {
            adapted.putIfAbsent("ttlMs", 0);
            adapted.putIfAbsent("cacheScope", "private");
        }
        return new McpSchema.JSONRPCResponse(answer.jsonrpc(), answer.id(), adapted, null);
    }

    private static void write(McpJsonMapper json, HttpServletResponse response, int status, Object body)
            throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The UnsupportedProtocolVersionError of 2026-07-28, for a version the gateway does not serve. */
    static Refusal unsupportedVersion(String requested) {
        return new Refusal(400, McpProtocol.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version", null,
                           Map.of("supported", McpProtocol.ALL_VERSIONS, "requested", requested));
    }
}
