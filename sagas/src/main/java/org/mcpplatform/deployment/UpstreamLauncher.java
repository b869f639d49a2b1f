package org.mcpplatform.deployment;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Starts (stdio) or connects to (remote) a server and completes the MCP handshake with it. */
public interface UpstreamLauncher {

    /**
     * Completes with the running upstream once it answered initialize (and was sent notifications/initialized), or
     * exceptionally if it could not be started or reached within {@code timeout}; nothing of a failed start keeps
     * running.
     */
    CompletableFuture<RunningUpstream> launch(UpstreamSpec spec, Duration timeout);
}
