package org.mcpplatform.tool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells waiting requests on this node when the tool projection has committed a tool at a revision. A command request
 * waits here for its own change to reach the read model (read your writes). This is deliberately lighter than an Axon
 * subscription query: no query is run to subscribe, nothing is re-queried on every update, and the view the
 * projection just committed is handed over as it is; at a thousand commands a second that difference is most of the
 * CPU the wait costs. Changes applied by another node's projection are not seen here; the waiting side re-reads
 * the read model for those.
 */
public class ToolUpdates {

    private record Waiter(long revision, CompletableFuture<ToolView> future) {
    }

    private final ConcurrentHashMap<String, List<Waiter>> waiting = new ConcurrentHashMap<>();
    /** The latest committed view per tool for a short while, for a waiter that registers just after the commit. */
    private final Cache<String, ToolView> recent = Caffeine.newBuilder()
                                                           .maximumSize(10_000)
                                                           .expireAfterWrite(Duration.ofSeconds(10))
                                                           .build();

    /** Completes with the tool once this node's projection has committed it at {@code revision} or later. */
    public CompletableFuture<ToolView> await(String toolId, long revision) {
        Waiter waiter = new Waiter(revision, new CompletableFuture<>());
        waiting.compute(toolId, (id, waiters) -> {
            List<Waiter> list = waiters == null ? new ArrayList<>(1) : waiters;
            list.add(waiter);
            return list;
        });
        waiter.future().whenComplete((view, failure) -> waiting.computeIfPresent(toolId, (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        }));
        ToolView latest = recent.getIfPresent(toolId);
        if (latest != null && latest.revision() >= revision) {
            waiter.future().complete(latest);
        }
        return waiter.future();
    }

    /** Called by the projection after its transaction committed, with the tools as committed. */
    void committed(Collection<ToolView> tools) {
        for (ToolView tool : tools) {
            recent.put(tool.id(), tool);
            List<Waiter> ready = new ArrayList<>();
            waiting.computeIfPresent(tool.id(), (id, waiters) -> {
                waiters.stream().filter(waiter -> tool.revision() >= waiter.revision()).forEach(ready::add);
                return waiters;
            });
            ready.forEach(waiter -> waiter.future().complete(tool));
        }
    }
}
