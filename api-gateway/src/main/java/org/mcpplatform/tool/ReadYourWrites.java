package org.mcpplatform.tool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.web.ApiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes a command's result visible before its request returns: waits until the read model holds the tool at the
 * revision the command produced, so that the client's next GET shows its own change. This node's projection announces
 * its commits ({@link ToolUpdates}); a commit made by another node's projection is found by re-reading the read model
 * every 50 ms. The wait is bounded: if the projection is behind, the answer comes from the event store, which is
 * always current.
 */
@Component
public class ReadYourWrites {

    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);
    private static final long REREAD_MILLIS = 50;

    private final ToolUpdates updates;
    private final QueryGateway queries;
    private final Duration wait;
    private final Counter lagging;

    public ReadYourWrites(ToolUpdates updates, QueryGateway queries, ApiProperties properties, MeterRegistry meters) {
        this.updates = updates;
        this.queries = queries;
        this.wait = properties.readYourWritesWait();
        this.lagging = Counter.builder("mcp_read_your_writes_timeouts_total")
                              .description("Command responses served from the event store because the read model "
                                                   + "had not caught up in time")
                              .register(meters);
    }

    /** The tool as of {@code revision} or later. */
    public ToolView tool(String toolId, long revision) {
        CompletableFuture<ToolView> committed = updates.await(toolId, revision);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    return committed.get(Math.min(REREAD_MILLIS, left), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    ToolView stored = queries.query(new FindToolById(toolId), ToolView.class).join();
                    if (stored != null && stored.revision() >= revision) {
                        return stored;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            committed.cancel(false);
        }
        lagging.increment();
        log.warn("The tool read model did not reach revision {} of tool {} within {}; answering from the event store",
                 revision, toolId, wait);
        ToolView current = queries.query(new FindToolAsOf(toolId, Instant.MAX), ToolView.class).join();
        if (current == null) {
            throw new NotFoundException("MCP tool", toolId);
        }
        return current;
    }
}
