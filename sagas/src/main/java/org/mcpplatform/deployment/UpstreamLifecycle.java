package org.mcpplatform.deployment;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What differs between a child process and a remote server once the MCP session runs over it. */
interface UpstreamLifecycle {

    /** The child's pid, or null for a remote server. */
    Long pid();

    /** The child's last stderr lines (empty for a remote server). */
    List<String> stderr();

    /** Called at most once when it is gone by itself (never after {@link #stop} was called). */
    void onGone(Consumer<String> reason);

    /** Ends it; completes when nothing of it runs any more. */
    CompletableFuture<Void> stop(Duration grace);
}
