package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A remote server over one of the SDK's HTTP transports. It is "gone" when the server no longer knows our session
 * (404 or 400 to a request carrying the session id): the one session every client shares is lost and the supervisor
 * must connect again. A single failed request (a network error) only fails that request; the supervisor's health
 * pings judge whether the server is down.
 */
final class RemoteLifecycle implements UpstreamLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RemoteLifecycle.class);

    private final McpClientTransport transport;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile String goneReason;

    RemoteLifecycle(McpClientTransport transport) {
        this.transport = transport;
        transport.setExceptionHandler(this::transportFailed);
    }

    private void transportFailed(Throwable error) {
        if (error instanceof McpTransportSessionNotFoundException) {
            gone("the server ended the session");
        } else {
            log.debug("Transport error of a remote upstream", error);
        }
    }

    private void gone(String reason) {
        if (stopping || !ended.compareAndSet(false, true)) {
            return;
        }
        goneReason = reason;
        listeners.forEach(listener -> listener.accept(reason));
    }

    @Override
    public Long pid() {
        return null;
    }

    @Override
    public List<String> stderr() {
        return List.of();
    }

    @Override
    public void onGone(Consumer<String> listener) {
        listeners.add(listener);
        if (goneReason != null && listeners.remove(listener)) {
            listener.accept(goneReason);
        }
    }

    /** Ends the session (Streamable HTTP: DELETE); a server that does not answer within {@code grace} is left. */
    @Override
    public CompletableFuture<Void> stop(Duration grace) {
        stopping = true;
        return transport.closeGracefully()
                .timeout(grace.isZero() || grace.isNegative() ? Duration.ofMillis(1) : grace)
                .onErrorResume(error -> reactor.core.publisher.Mono.empty())
                .toFuture();
    }
}
