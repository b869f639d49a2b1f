package org.mcpplatform.gateway;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.UpstreamClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request of the stateless revision (2026-07-28) as the upstream sees a client: it lives exactly as long as the
 * request, and what the client can do is what this request's {@code _meta} declared (the spec: servers must not infer
 * capabilities from earlier requests).
 * <p>
 * Only notifications about the request itself reach the client, and only on its SSE response: the revision forbids
 * anything else on that stream, and there is no GET stream. Requests of the server (sampling, elicitation, roots)
 * would have to become an MRTR {@code InputRequiredResult}, which the gateway does not translate: the server gets an
 * error answer at once instead of waiting for an answer that can never come.
 */
final class StatelessClient implements UpstreamClient {

    private static final Logger log = LoggerFactory.getLogger(StatelessClient.class);
    private static final AtomicLong COUNTER = new AtomicLong();

    private final String id = "stateless-" + COUNTER.incrementAndGet();
    private final Object requestId;
    private final Map<?, ?> capabilities;
    private final Upstream upstream;
    private final McpJsonMapper json;
    private volatile SseStream stream;

    StatelessClient(Object requestId, Map<?, ?> capabilities, Upstream upstream, McpJsonMapper json) {
        this.requestId = requestId;
        this.capabilities = capabilities;
        this.upstream = upstream;
        this.json = json;
    }

    /** The request's SSE response, once it streams; before that (and for a JSON answer) notifications are dropped. */
    void streamTo(SseStream stream) {
        this.stream = stream;
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public boolean declares(String capability) {
        return capabilities.containsKey(capability);
    }

    @Override
    public void send(McpSchema.JSONRPCMessage message, Object relatedRequestId) {
        if (message instanceof McpSchema.JSONRPCRequest serverRequest) {
            upstream.respond(McpProtocol.error(serverRequest.id(), McpProtocol.METHOD_NOT_FOUND,
                                               "The client uses the stateless revision " + McpProtocol.STATELESS_VERSION
                                                       + " over the gateway and cannot be sent "
                                                       + serverRequest.method()), this);
            return;
        }
        SseStream open = stream;
        if (open == null || relatedRequestId == null || !sameId(relatedRequestId, requestId)) {
            return; // not about this request: the stateless revision has no stream for it
        }
        try {
            open.send(json.writeValueAsBytes(message));
        } catch (IOException e) {
            log.warn("A message from the upstream of {} could not be serialized: {}", upstream.slug(), e.toString());
        }
    }

    private static boolean sameId(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a.equals(b);
    }
}
