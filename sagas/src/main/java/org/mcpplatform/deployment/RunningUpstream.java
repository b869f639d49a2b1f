package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpSchema;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** An upstream the supervisor started and owns: what it needs beyond what the gateway uses. */
public interface RunningUpstream extends Upstream {

    /** The child's pid, or null for a remote server. */
    Long pid();

    /** An MCP ping; completes with the round trip in milliseconds, or exceptionally (timeout, closed, error). */
    CompletableFuture<Long> ping(Duration timeout);

    /** Lists the server's tools (following pagination) as the platform's own request, for pinning. */
    CompletableFuture<List<McpSchema.Tool>> listTools(Duration timeout);

    /** Calls to these tools answer a JSON-RPC error until unblocked (their definitions changed, not yet approved). */
    void block(Set<String> toolNames);

    /** Called once when the upstream is gone by itself: the process exited or the connection was lost. */
    void onTermination(Consumer<String> reason);

    /** Every tools/list response that passes through (the client's or the platform's), for pinning. */
    void onToolsListed(Consumer<List<McpSchema.Tool>> listener);

    /** The last stderr lines of the child, oldest first (empty for remote servers). */
    List<String> stderr();

    /**
     * Stops it: a child gets SIGTERM (after its stdin is closed), then SIGKILL after {@code grace}, with its whole
     * process tree; in-flight requests answer an error. Completes when nothing of it runs any more.
     */
    CompletableFuture<Void> stop(Duration grace);
}
