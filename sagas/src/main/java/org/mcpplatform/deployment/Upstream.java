package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpSchema;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A deployed MCP server as the gateway sees it: one MCP session with the server (a child process over stdio, or a
 * remote server over HTTP) shared by every gateway session of the deployment.
 * <p>
 * Requests of different clients are multiplexed onto the one upstream session: the upstream sees ids of the
 * platform's own (so two clients that both send id 1 never collide) and the answer goes back with the client's id.
 * Progress tokens are rewritten the same way. The gateway answers initialize and ping itself (from
 * {@link #initializeResult()}) and does not forward notifications/initialized.
 */
public interface Upstream {

    String deploymentId();

    String toolId();

    String slug();

    /** What the server answered to the platform's initialize: its capabilities, serverInfo and instructions. */
    McpSchema.InitializeResult initializeResult();

    /**
     * Forwards one client request. The future completes with the response carrying the client's id: the server's
     * answer, a JSON-RPC error of the platform's (a blocked tool, the upstream down), or, after {@code timeout}, a
     * JSON-RPC error saying the request timed out (the upstream is then sent notifications/cancelled).
     * Notifications about this request (progress for its progressToken, logging) and requests the server sends while
     * it runs go to {@code client} with {@code request.id()} as the related request.
     */
    CompletableFuture<McpSchema.JSONRPCResponse> request(McpSchema.JSONRPCRequest request, UpstreamClient client,
                                                         Duration timeout);

    /** Forwards a client notification (notifications/cancelled and progress get their ids and tokens rewritten). */
    void notify(McpSchema.JSONRPCNotification notification, UpstreamClient client);

    /** A client's answer to a request the server sent it through {@link UpstreamClient#send}. */
    void respond(McpSchema.JSONRPCResponse response, UpstreamClient client);

    /** The client's session ended: cancel what it still waits for and stop routing to it. */
    void detach(UpstreamClient client);
}
