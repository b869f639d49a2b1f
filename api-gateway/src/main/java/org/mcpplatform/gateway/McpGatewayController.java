package org.mcpplatform.gateway;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.Upstreams;
import org.springframework.beans.factory.ObjectProvider;
import org.mcpplatform.security.PlatformUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The MCP endpoint of a deployment, {@code /mcp/{slug}}: Streamable HTTP with sessions (revisions 2024-11-05 to
 * 2025-11-25, JSON-RPC batches for 2025-03-26) and, for POSTs whose MCP-Protocol-Version is 2026-07-28, the
 * stateless revision ({@link StatelessRequests}), relaying JSON-RPC to the deployment's {@link Upstream}.
 * <p>
 * Why hand-written rather than the MCP SDK's server transport: the SDK's server transports bind typed handlers to one
 * McpServer of their own, while the gateway must be a transparent JSON-RPC relay that forwards whatever the client
 * and the deployed server say to each other (methods it does not know included), answering only initialize and ping
 * itself. It must also add less than 1 ms at the median and carry 2,000+ calls/s on 2 cores, so the common case (a
 * request answered as JSON) is one parse, one map lookup, one hand-off to the upstream and one write on the
 * request's own thread, with no reactive pipeline and no second servlet dispatch. SSE responses (progress, and
 * clients that may be asked for sampling or elicitation mid-request) and the GET stream use async servlet requests,
 * so an open stream holds no thread.
 * <p>
 * The client's credentials end here: the {@link Upstream} interface carries only JSON-RPC messages, never the
 * Authorization or X-API-Key header or cookies.
 */
@RestController
public class McpGatewayController {

    private static final Logger log = LoggerFactory.getLogger(McpGatewayController.class);
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";

    /** Absent until the supervisor is part of the application: then nothing is deployed here. */
    private final ObjectProvider<Upstreams> upstreams;
    private final GatewaySessions sessions;
    private final GatewayUrls urls;
    private final GatewayUsage usage;
    private final GatewayProperties properties;
    private final StatelessRequests stateless;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    public McpGatewayController(ObjectProvider<Upstreams> upstreams, GatewaySessions sessions, GatewayUrls urls,
                                GatewayUsage usage, GatewayProperties properties, StatelessRequests stateless) {
        this.stateless = stateless;
        this.upstreams = upstreams;
        this.sessions = sessions;
        this.urls = urls;
        this.usage = usage;
        this.properties = properties;
    }

    @PostMapping("/mcp/{slug}")
    public void post(@PathVariable String slug, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            checkOrigin(request);
            String accept = request.getHeader("Accept");
            if (!accepts(accept, JSON) || !accepts(accept, EVENT_STREAM)) {
                throw new Refusal(406, McpProtocol.SERVER_ERROR,
                                  "Not Acceptable: Client must accept both application/json and text/event-stream");
            }
            String contentType = request.getContentType();
            if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(JSON)) {
                throw new Refusal(415, McpProtocol.SERVER_ERROR,
                                  "Unsupported Media Type: Content-Type must be application/json");
            }
            PlatformUser user = authorizedUser();
            Upstream upstream = upstream(slug);
            byte[] body = request.getInputStream().readAllBytes();
            String version = protocolVersion(request);
            if (isBatch(body)) {
                if (McpProtocol.STATELESS_VERSION.equals(version)) {
                    throw new Refusal(400, McpProtocol.INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not "
                            + "supported in " + McpProtocol.STATELESS_VERSION + "; send one message per request");
                }
                batch(body, version, slug, user, upstream, request, response);
                return;
            }
            McpSchema.JSONRPCMessage message = parse(body);
            if (message instanceof McpSchema.JSONRPCRequest call
                    && McpSchema.METHOD_INITIALIZE.equals(call.method())) {
                // dual-era: initialize selects the legacy revisions and a session, whatever the headers say
                initialize(call, user, slug, upstream, response);
                return;
            }
            if (McpProtocol.STATELESS_VERSION.equals(version)) {
                // an Mcp-Session-Id sent along is ignored, as the revision says
                stateless.post(message, user, upstream, json, request, response);
                return;
            }
            if (version == null && message instanceof McpSchema.JSONRPCRequest call && McpProtocol.meta(call) != null
                    && McpProtocol.meta(call).containsKey(McpProtocol.META_PROTOCOL_VERSION)) {
                // a stateless request without its header: the header is required, so this is not taken as 2025-03-26
                throw new Refusal(400, McpProtocol.HEADER_MISMATCH,
                                  "Header mismatch: the MCP-Protocol-Version header is missing", call.id());
            }
            if (version != null && !McpProtocol.served(version) && request.getHeader(McpProtocol.SESSION_ID) == null) {
                // no session to speak of: a client probing for a revision, which the stateless error answers
                throw StatelessRequests.unsupportedVersion(version);
            }
            GatewaySession session = session(request, user, slug);
            checkProtocolVersion(request);
            session.use(upstream);
            if (message instanceof McpSchema.JSONRPCNotification notification) {
                if (!McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(notification.method())) {
                    upstream.notify(notification, session);
                }
                response.setStatus(202);
            } else if (message instanceof McpSchema.JSONRPCResponse answer) {
                upstream.respond(answer, session);
                response.setStatus(202);
            } else if (message instanceof McpSchema.JSONRPCRequest call) {
                if (McpSchema.METHOD_PING.equals(call.method())) {
                    writeJson(response, 200, McpProtocol.result(call.id(), Map.of()));
                } else if (wantsStream(call, session)) {
                    forwardAsStream(call, session, upstream, user, request, response);
                } else {
                    forward(call, session, upstream, user, response);
                }
            }
        } catch (Refusal refusal) {
            refuse(response, refusal);
        }
    }

    @GetMapping("/mcp/{slug}")
    public void stream(@PathVariable String slug, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            checkOrigin(request);
            refuseStateless(request, "has no GET stream");
            if (!accepts(request.getHeader("Accept"), EVENT_STREAM)) {
                throw new Refusal(406, McpProtocol.SERVER_ERROR,
                                  "Not Acceptable: Client must accept text/event-stream");
            }
            PlatformUser user = authorizedUser();
            Upstream upstream = upstream(slug);
            GatewaySession session = session(request, user, slug);
            checkProtocolVersion(request);
            session.use(upstream);
            String lastEventId = request.getHeader(McpProtocol.LAST_EVENT_ID);
            if (lastEventId != null && resume(lastEventId.strip(), session, request, response)) {
                return;
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            SseStream[] holder = new SseStream[1];
            SseStream stream = new SseStream("g" + session.nextStreamId(), 0, session, async, response,
                                             sessions.writers(), () -> session.standaloneClosed(holder[0]));
            holder[0] = stream;
            if (!session.openStandalone(stream)) {
                async.complete();
                throw new Refusal(409, McpProtocol.SERVER_ERROR,
                                  "Conflict: only one GET stream per session is allowed");
            }
            SseStream.start(response);
        } catch (Refusal refusal) {
            refuse(response, refusal);
        }
    }

    @DeleteMapping("/mcp/{slug}")
    public void end(@PathVariable String slug, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            checkOrigin(request);
            refuseStateless(request, "has no sessions to end");
            PlatformUser user = authorizedUser();
            GatewaySession session = session(request, user, slug);
            sessions.close(session);
            response.setStatus(204);
        } catch (Refusal refusal) {
            refuse(response, refusal);
        }
    }

    /**
     * GET with Last-Event-ID ({@code <stream>-<n>}): the stream's kept events after n are replayed, and the new
     * response carries the rest of that stream (2025-06-18 / 2025-11-25 resumability). False when nothing of that
     * stream is kept (then the GET opens a fresh GET stream, as without the header).
     */
    private boolean resume(String lastEventId, GatewaySession session, HttpServletRequest request,
                           HttpServletResponse response) throws IOException, Refusal {
        int dash = lastEventId.lastIndexOf('-');
        long after;
        try {
            after = dash <= 0 ? -1 : Long.parseLong(lastEventId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        String streamId = lastEventId.substring(0, Math.max(dash, 0));
        long last = after < 0 ? -1 : session.lastSequence(streamId);
        if (last < 0) {
            return false;
        }
        boolean standalone = GatewaySession.isStandaloneId(streamId);
        if (standalone && session.standaloneOpen()) {
            throw new Refusal(409, McpProtocol.SERVER_ERROR, "Conflict: only one GET stream per session is allowed");
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        SseStream[] holder = new SseStream[1];
        SseStream resumed = new SseStream(streamId, last, session, async, response, sessions.writers(),
                                          () -> {
                                              if (standalone) {
                                                  session.standaloneClosed(holder[0]);
                                              }
                                          });
        holder[0] = resumed;
        SseStream.start(response);
        if (!session.resume(streamId, after, resumed)) {
            resumed.close(); // another GET stream won the race
        }
        return true;
    }

    private void initialize(McpSchema.JSONRPCRequest call, PlatformUser user, String slug, Upstream upstream,
                            HttpServletResponse response) throws IOException, Refusal {
        Map<?, ?> params = call.params() instanceof Map<?, ?> map ? map : Map.of();
        String requested = params.get("protocolVersion") instanceof String version ? version : null;
        if (requested == null) {
            throw new Refusal(400, McpProtocol.INVALID_PARAMS, "initialize needs params.protocolVersion", call.id());
        }
        Map<String, Object> capabilities = new LinkedHashMap<>();
        if (params.get("capabilities") instanceof Map<?, ?> declared) {
            declared.forEach((name, value) -> capabilities.put(String.valueOf(name), value));
        }
        String version = McpProtocol.negotiate(requested);
        McpSchema.InitializeResult server = upstream.initializeResult();
        GatewaySession session;
        try {
            session = sessions.open(user.id(), slug, version, Map.copyOf(capabilities), upstream, json);
        } catch (GatewaySessions.TooManySessions tooMany) {
            throw new Refusal(429, McpProtocol.SERVER_ERROR, tooMany.getMessage(), call.id());
        }
        McpSchema.InitializeResult result = new McpSchema.InitializeResult(version, server.capabilities(),
                                                                           server.serverInfo(),
                                                                           server.instructions());
        response.setHeader(McpProtocol.SESSION_ID, session.sessionId());
        writeJson(response, 200, McpProtocol.result(call.id(), result));
    }

    /** A request answered with one JSON body, on this thread: the fast path. */
    private void forward(McpSchema.JSONRPCRequest call, GatewaySession session, Upstream upstream, PlatformUser user,
                         HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        Duration timeout = properties.requestTimeout();
        McpSchema.JSONRPCResponse answer = UpstreamAnswers.await(upstream, call, session, timeout);
        writeJson(response, 200, answer);
        usage.record(upstream, call, answer, 200, start, user.id());
    }

    /**
     * A request answered with an SSE stream, so that the upstream's notifications (progress, logging) and requests
     * (sampling, elicitation) for it reach the client before the response. The stream ends after the response.
     */
    private void forwardAsStream(McpSchema.JSONRPCRequest call, GatewaySession session, Upstream upstream,
                                 PlatformUser user, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        long start = System.nanoTime();
        Duration timeout = properties.requestTimeout();
        AsyncContext async = request.startAsync();
        async.setTimeout(UpstreamAnswers.latest(timeout).plusSeconds(5).toMillis());
        SseStream[] holder = new SseStream[1];
        // the request stays registered when the client drops the stream: its messages are then kept for a
        // resumption, until the response (see GatewaySession.respond)
        SseStream stream = new SseStream(session.nextStreamId(), 0, session, async, response, sessions.writers(),
                                         () -> { });
        holder[0] = stream;
        session.openRequestStream(call.id(), stream);
        SseStream.start(response);
        UpstreamAnswers.answer(upstream, call, session, timeout)
               .thenAccept(reply -> {
                   try {
                       session.respond(call.id(), json.writeValueAsBytes(reply));
                   } catch (IOException e) {
                       log.warn("A response from the upstream of {} could not be serialized: {}", session.slug(),
                                e.toString());
                       session.respond(call.id(), null);
                   }
                   usage.record(upstream, call, reply, 200, start, user.id());
               });
    }

    /** SSE when the request may get messages before its response: a progress token, or a client that may be asked. */
    private static boolean wantsStream(McpSchema.JSONRPCRequest call, GatewaySession session) {
        return McpProtocol.progressToken(call) != null || session.declares("sampling")
                || session.declares("elicitation");
    }

    private void checkOrigin(HttpServletRequest request) throws Refusal {
        if (!urls.originAllowed(request)) {
            throw new Refusal(403, McpProtocol.SERVER_ERROR, "Forbidden: the Origin is not allowed");
        }
    }

    private static PlatformUser authorizedUser() throws Refusal {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof PlatformUser user)) {
            // the security chain answers 401 before this; kept so that a misconfiguration fails closed
            throw new Refusal(401, McpProtocol.SERVER_ERROR, "Unauthorized");
        }
        if (!user.may("mcps", "read")) {
            throw new Refusal(403, McpProtocol.SERVER_ERROR,
                              "Forbidden: your role (" + user.role().value() + ") lacks the permission mcps:read");
        }
        return user;
    }

    private Upstream upstream(String slug) throws Refusal {
        Optional<Upstream> upstream = deployed(slug);
        if (upstream.isEmpty()) {
            throw new Refusal(404, McpProtocol.SERVER_ERROR, "Not Found: no MCP server is deployed at this address");
        }
        return upstream.get();
    }

    /** The caller's session for this slug; another user's session is answered exactly like an unknown one. */
    private GatewaySession session(HttpServletRequest request, PlatformUser user, String slug) throws Refusal {
        String id = request.getHeader(McpProtocol.SESSION_ID);
        if (id == null || id.isBlank()) {
            throw new Refusal(400, McpProtocol.SERVER_ERROR, "Bad Request: Mcp-Session-Id header is required");
        }
        return sessions.find(id.strip())
                       .filter(session -> session.userId().equals(user.id()) && session.slug().equals(slug))
                       .orElseThrow(() -> new Refusal(404, McpProtocol.SESSION_NOT_FOUND, "Session not found"));
    }

    private static void checkProtocolVersion(HttpServletRequest request) throws Refusal {
        String version = request.getHeader(McpProtocol.PROTOCOL_VERSION);
        // absent: the spec says assume 2025-03-26, which is supported
        if (version != null && !McpProtocol.supported(version.strip())) {
            throw new Refusal(400, McpProtocol.SERVER_ERROR,
                              "Bad Request: Unsupported protocol version (supported versions: "
                                      + String.join(", ", McpProtocol.SUPPORTED_VERSIONS) + ")");
        }
    }

    /** 2026-07-28 is POST only: GET and DELETE are answered 405, after the same Origin and permission checks. */
    private static void refuseStateless(HttpServletRequest request, String why) throws Refusal {
        if (McpProtocol.STATELESS_VERSION.equals(protocolVersion(request))) {
            authorizedUser();
            throw new Refusal(405, McpProtocol.SERVER_ERROR,
                              "Method Not Allowed: " + McpProtocol.STATELESS_VERSION + " " + why + "; use POST");
        }
    }

    private static String protocolVersion(HttpServletRequest request) {
        String version = request.getHeader(McpProtocol.PROTOCOL_VERSION);
        return version == null ? null : version.strip();
    }

    private static boolean isBatch(byte[] body) {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        return first < body.length && body[first] == '[';
    }

    private McpSchema.JSONRPCMessage parse(byte[] body) throws Refusal {
        try {
            return validated(McpSchema.deserializeJsonRpcMessage(
                    json, new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new Refusal(400, McpProtocol.PARSE_ERROR, "Parse error: the body is not a JSON-RPC message");
        }
    }

    private static McpSchema.JSONRPCMessage validated(McpSchema.JSONRPCMessage message) throws Refusal {
        if (message instanceof McpSchema.JSONRPCRequest call && (call.method() == null || call.id() == null)) {
            throw new Refusal(400, McpProtocol.INVALID_REQUEST, "Invalid Request: a request needs id and method");
        }
        return message;
    }

    /**
     * A JSON-RPC batch, which only 2025-03-26 has ("MAY send, MUST support receiving"); 2025-06-18 removed them. The
     * revision is the header's, else the one the session negotiated (the spec assumes 2025-03-26 only when there is
     * no other way to know). Requests run concurrently; the answer is the array of their responses in the order of
     * the requests, or 202 when the batch held only notifications and responses.
     */
    private void batch(byte[] body, String version, String slug, PlatformUser user, Upstream upstream,
                       HttpServletRequest request, HttpServletResponse response) throws IOException, Refusal {
        GatewaySession session = session(request, user, slug);
        checkProtocolVersion(request);
        String revision = version != null ? version : session.protocolVersion();
        if (!io.modelcontextprotocol.spec.ProtocolVersions.MCP_2025_03_26.equals(revision)) {
            throw new Refusal(400, McpProtocol.INVALID_REQUEST, "Invalid Request: JSON-RPC batches exist only in "
                    + "protocol version 2025-03-26, not in " + revision + "; send one message per request");
        }
        java.util.List<?> elements;
        try {
            elements = json.readValue(body, java.util.List.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new Refusal(400, McpProtocol.PARSE_ERROR, "Parse error: the body is not a JSON-RPC batch");
        }
        if (elements.isEmpty()) {
            throw new Refusal(400, McpProtocol.INVALID_REQUEST, "Invalid Request: the batch is empty");
        }
        session.use(upstream);
        Duration timeout = properties.requestTimeout();
        // responses, or (for an element that is no message at all) an error whose id is null, which the SDK's
        // response record refuses to hold
        java.util.List<CompletableFuture<?>> answers = new java.util.ArrayList<>();
        for (Object element : elements) {
            McpSchema.JSONRPCMessage message;
            try {
                if (!(element instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException("not an object");
                }
                message = validated(McpSchema.deserializeJsonRpcMessage(json, json.writeValueAsString(element)));
            } catch (IOException | IllegalArgumentException | Refusal e) {
                Map<String, Object> invalid = new LinkedHashMap<>();
                invalid.put("jsonrpc", McpSchema.JSONRPC_VERSION);
                invalid.put("id", null);
                invalid.put("error", Map.of("code", McpProtocol.INVALID_REQUEST,
                                            "message", "Invalid Request: a batch element is not a JSON-RPC message"));
                answers.add(CompletableFuture.completedFuture(invalid));
                continue;
            }
            if (message instanceof McpSchema.JSONRPCNotification notification) {
                if (!McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(notification.method())) {
                    upstream.notify(notification, session);
                }
            } else if (message instanceof McpSchema.JSONRPCResponse answer) {
                upstream.respond(answer, session);
            } else if (message instanceof McpSchema.JSONRPCRequest call) {
                if (McpSchema.METHOD_INITIALIZE.equals(call.method())) {
                    answers.add(CompletableFuture.completedFuture(McpProtocol.error(
                            call.id(), McpProtocol.INVALID_REQUEST,
                            "Invalid Request: initialize must not be part of a JSON-RPC batch")));
                } else if (McpSchema.METHOD_PING.equals(call.method())) {
                    answers.add(CompletableFuture.completedFuture(McpProtocol.result(call.id(), Map.of())));
                } else {
                    long start = System.nanoTime();
                    answers.add(UpstreamAnswers.answer(upstream, call, session, timeout)
                                               .whenComplete((answer, ignored) ->
                                                       usage.record(upstream, call, answer, 200, start, user.id())));
                }
            }
        }
        if (answers.isEmpty()) {
            response.setStatus(202);
            return;
        }
        java.util.List<Object> replies = new java.util.ArrayList<>(answers.size());
        for (CompletableFuture<?> answer : answers) {
            replies.add(answer.join()); // every one completes: answered, failed into an error, or timed out
        }
        writeJson(response, 200, replies);
    }

    private static boolean accepts(String accept, String type) {
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(type);
    }

    private void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(JSON);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private void refuse(HttpServletResponse response, Refusal refusal) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", refusal.code);
        error.put("message", refusal.getMessage());
        if (refusal.data != null) {
            error.put("data", refusal.data);
        }
        if (refusal.status == 405) {
            response.setHeader("Allow", "POST");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", refusal.id);
        body.put("error", error);
        writeJson(response, refusal.status, body);
    }

    private Optional<Upstream> deployed(String slug) {
        Upstreams running = upstreams.getIfAvailable();
        return running == null ? Optional.empty() : running.bySlug(slug);
    }

}
