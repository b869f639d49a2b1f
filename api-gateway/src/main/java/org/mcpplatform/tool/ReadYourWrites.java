package org.mcpplatform.tool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.web.ApiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;

/**
 * Makes a command's result visible before its request returns: waits until the read model shows the tool at the
 * revision the command produced, so the client's next GET sees its own change. The projection announces each commit
 * to subscribers of the tool on this node; a commit handled on another node is noticed by re-reading every 50 ms.
 * The wait is bounded: if the projection is behind, the answer comes from the event store, which is always current.
 */
@Component
public class ReadYourWrites {

    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final QueryGateway queries;
    private final Duration wait;
    private final Counter lagging;

    public ReadYourWrites(QueryGateway queries, ApiProperties properties, MeterRegistry meters) {
        this.queries = queries;
        this.wait = properties.readYourWritesWait();
        this.lagging = Counter.builder("mcp_read_your_writes_timeouts_total")
                              .description("Command responses served from the event store because the read model "
                                                   + "had not caught up in time")
                              .register(meters);
    }

    /** The tool as of {@code revision} or later. */
    public ToolView tool(String toolId, long revision) {
        FindToolById query = new FindToolById(toolId);
        SubscriptionQueryResult<ToolView, ToolView> subscription = queries.subscriptionQuery(
                query, ResponseTypes.instanceOf(ToolView.class), ResponseTypes.instanceOf(ToolView.class));
        try {
            Flux<ToolView> rereads = Flux.interval(POLL_INTERVAL)
                                         .concatMap(tick -> Mono.fromFuture(queries.query(query, ToolView.class)));
            ToolView view = Flux.merge(subscription.initialResult().flux(), subscription.updates(), rereads)
                                .filter(candidate -> candidate.revision() >= revision)
                                .next()
                                .timeout(wait, Mono.empty())
                                .block();
            if (view != null) {
                return view;
            }
        } finally {
            subscription.cancel();
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
