package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpSchema;

/** One gateway session, as the upstream side routes messages back to it. */
public interface UpstreamClient {

    String sessionId();

    /**
     * A message from the server that is not a response: a notification, or a request to the client (sampling,
     * elicitation, roots) whose id has been made unique per client. {@code relatedRequestId} is the client's id of the
     * request it belongs to, or null for messages of the session as a whole (the GET stream's).
     */
    void send(McpSchema.JSONRPCMessage message, Object relatedRequestId);

    /** Whether the client declared a capability at initialize ("sampling", "elicitation", "roots"). */
    boolean declares(String capability);
}
