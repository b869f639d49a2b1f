package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpSchema;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** A gateway session as a test sees it: records what the upstream sends it; may answer the server's requests. */
final class RecordingClient implements UpstreamClient {

    record Received(McpSchema.JSONRPCMessage message, Object relatedRequestId) {
    }

    private final String sessionId;
    private final Set<String> capabilities;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<RecordingClient, McpSchema.JSONRPCRequest> onRequest = (client, request) -> {
    };

    RecordingClient(String sessionId, String... capabilities) {
        this.sessionId = sessionId;
        this.capabilities = Set.of(capabilities);
    }

    RecordingClient answeringRequests(BiConsumer<RecordingClient, McpSchema.JSONRPCRequest> handler) {
        this.onRequest = handler;
        return this;
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public void send(McpSchema.JSONRPCMessage message, Object relatedRequestId) {
        received.add(new Received(message, relatedRequestId));
        if (message instanceof McpSchema.JSONRPCRequest request) {
            onRequest.accept(this, request);
        }
    }

    @Override
    public boolean declares(String capability) {
        return capabilities.contains(capability);
    }

    List<McpSchema.JSONRPCNotification> notifications(String method) {
        return received.stream()
                .filter(r -> r.message() instanceof McpSchema.JSONRPCNotification n && n.method().equals(method))
                .map(r -> (McpSchema.JSONRPCNotification) r.message())
                .toList();
    }

    List<Received> receivedNotifications(String method) {
        return received.stream()
                .filter(r -> r.message() instanceof McpSchema.JSONRPCNotification n && n.method().equals(method))
                .toList();
    }

    @Override
    public String toString() {
        return "client " + sessionId;
    }
}
