package org.mcpplatform.gateway;

import io.modelcontextprotocol.spec.McpSchema;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.UpstreamClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client request sent upstream, answered whatever happens: with the server's response, or with a JSON-RPC error
 * saying it timed out or that the server is not available. Every path of the gateway (sessions, batches, stateless
 * requests, JSON or SSE answers) sends requests this way, so a client always gets one answer and the same errors.
 */
final class UpstreamAnswers {

    private static final Logger log = LoggerFactory.getLogger(UpstreamAnswers.class);
    /** How much longer than the upstream's own timeout the gateway waits before answering the timeout itself. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private UpstreamAnswers() {
    }

    /** Completes normally, always, within {@code timeout} plus a grace period. */
    static CompletableFuture<McpSchema.JSONRPCResponse> answer(Upstream upstream, McpSchema.JSONRPCRequest call,
                                                               UpstreamClient client, Duration timeout) {
        CompletableFuture<McpSchema.JSONRPCResponse> pending;
        try {
            pending = upstream.request(call, client, timeout);
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        return pending.orTimeout(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)
                      .handle((answer, failure) -> answer != null ? answer : failed(call, failure, timeout));
    }

    /** The longest {@link #answer} takes to complete. */
    static Duration latest(Duration timeout) {
        return timeout.plus(GRACE);
    }

    /** {@link #answer}, waited for on this thread. */
    static McpSchema.JSONRPCResponse await(Upstream upstream, McpSchema.JSONRPCRequest call, UpstreamClient client,
                                           Duration timeout) {
        return answer(upstream, call, client, timeout).join();
    }

    private static McpSchema.JSONRPCResponse failed(McpSchema.JSONRPCRequest call, Throwable failure,
                                                    Duration timeout) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return McpProtocol.error(call.id(), McpProtocol.REQUEST_TIMEOUT,
                                     "Request timed out after " + timeout.toMillis() + " ms");
        }
        log.warn("The upstream failed a {} request: {}", call.method(), String.valueOf(cause));
        return McpProtocol.error(call.id(), McpProtocol.INTERNAL_ERROR, "The MCP server is not available");
    }
}
