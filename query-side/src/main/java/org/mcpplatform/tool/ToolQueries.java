package org.mcpplatform.tool;

import org.axonframework.queryhandling.QueryHandler;

import java.util.Optional;

/** Answers tool queries from the cache, falling back to the mcp_tools table. */
public class ToolQueries {

    private final ToolReadRepository repository;
    private final ToolCache cache;

    public ToolQueries(ToolReadRepository repository, ToolCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    /** The tool, deleted ones included (callers tell a deleted tool by its deletedAt); null if never registered. */
    @QueryHandler
    public ToolView handle(FindToolById query) {
        Optional<ToolView> cached = cache.find(query.toolId());
        if (cached.isPresent()) {
            return cached.get();
        }
        Optional<ToolView> stored = repository.findById(query.toolId());
        stored.ifPresent(cache::fill);
        return stored.orElse(null);
    }

    @QueryHandler
    public ToolView handle(FindToolBySlug query) {
        return repository.findBySlug(query.slug()).orElse(null);
    }

    @QueryHandler
    public ToolPage handle(ListTools query) {
        Optional<String> key = cache.pageKey(query);
        Optional<ToolPage> cached = key.flatMap(cache::findPage);
        if (cached.isPresent()) {
            return cached.get();
        }
        ToolPage page = repository.list(query);
        key.ifPresent(k -> cache.fillPage(k, page));
        return page;
    }
}
