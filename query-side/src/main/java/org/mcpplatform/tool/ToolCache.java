package org.mcpplatform.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.mcpplatform.cache.CacheProperties;
import org.mcpplatform.cache.CacheStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The seed's tool caches: {@code cache:mcp_tool:{id}} holds one tool (deleted tools too, so that a reader cannot
 * bring a deleted tool back), {@code cache:mcp_tools:list:{hash}} one list page.
 * <p>
 * Only the projection writes tools unconditionally, after its transaction committed, with what it committed. Readers
 * that miss fill the entry only if it is still empty, so a reader that read the database just before a commit can
 * never overwrite the newer entry. List pages are keyed by a generation number that the projection increments after
 * every commit: a page cached under an older generation is simply never read again, whatever the interleaving.
 * When Redis cannot take a write, the ids are kept and written again once it answers; until then their entries
 * (and every list page) are not read, since Redis may still hold what it had before the outage.
 */
public class ToolCache {

    private static final Logger log = LoggerFactory.getLogger(ToolCache.class);
    static final String TOOL_KEY = "cache:mcp_tool:";
    static final String LIST_KEY = "cache:mcp_tools:list:";
    static final String LIST_GENERATION_KEY = "cache:mcp_tools:generation";
    /** covers both families above */
    static final String ALL_KEYS = "cache:mcp_tool";

    private final CacheStore store;
    private final CacheProperties properties;
    private final ObjectMapper json;
    private final Counter hits;
    private final Counter misses;
    private final Set<String> unsyncedTools = ConcurrentHashMap.newKeySet();
    /** taken by {@link #takeUnsynced()}, not yet rewritten: still not to be read */
    private final Set<String> resyncingTools = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean listsUnsynced = new AtomicBoolean();

    public ToolCache(CacheStore store, CacheProperties properties, ObjectMapper json, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.json = json;
        this.hits = Counter.builder("mcp_cache_requests_total").tag("cache", "tool").tag("result", "hit")
                           .description("Read-model cache lookups").register(meters);
        this.misses = Counter.builder("mcp_cache_requests_total").tag("cache", "tool").tag("result", "miss")
                             .description("Read-model cache lookups").register(meters);
    }

    /** The cached tool (deleted or not), or empty on a miss. */
    public Optional<ToolView> find(String toolId) {
        if (unsyncedTools.contains(toolId) || resyncingTools.contains(toolId)) {
            misses.increment();
            return Optional.empty();
        }
        Optional<ToolView> cached = store.get(TOOL_KEY + toolId).map(value -> read(value, ToolView.class));
        (cached.isPresent() ? hits : misses).increment();
        return cached;
    }

    /** After a miss: caches what the reader found, unless a fresher entry arrived meanwhile. */
    public void fill(ToolView tool) {
        store.putIfAbsent(TOOL_KEY + tool.id(), write(tool), properties.toolTtl());
    }

    /** The projection, after commit: the tools as they now are, and every list page invalidated. */
    void refresh(Collection<ToolView> tools) {
        Map<String, String> entries = new LinkedHashMap<>();
        tools.forEach(tool -> entries.put(TOOL_KEY + tool.id(), write(tool)));
        if (!store.putAll(entries, properties.toolTtl())) {
            tools.forEach(tool -> unsyncedTools.add(tool.id()));
        }
        tools.forEach(tool -> resyncingTools.remove(tool.id()));
        invalidateLists();
    }

    /**
     * The projection, after committing a replayed batch: the tools' entries go (readers fill them again), and every
     * list page is invalidated. Cheaper than {@link #refresh} by a read of every changed row.
     */
    void evict(Collection<String> toolIds) {
        if (!store.removeAll(toolIds.stream().map(id -> TOOL_KEY + id).toList())) {
            markUnsynced(toolIds);
            return;
        }
        invalidateLists();
    }

    /** Remembers tools whose cache entries may be stale, to be rewritten by {@link #takeUnsynced()}'s caller. */
    void markUnsynced(Collection<String> toolIds) {
        unsyncedTools.addAll(toolIds);
        listsUnsynced.set(true);
    }

    void invalidateLists() {
        if (store.increment(LIST_GENERATION_KEY).isEmpty()) {
            listsUnsynced.set(true);
        }
    }

    public Optional<ToolPage> findPage(String key) {
        Optional<ToolPage> cached = store.get(key).map(value -> read(value, ToolPage.class));
        (cached.isPresent() ? hits : misses).increment();
        return cached;
    }

    /** Caches a page read under the generation current before the read (see class comment). */
    public void fillPage(String key, ToolPage page) {
        store.putIfAbsent(key, write(page), properties.listTtl());
    }

    /** The key a page of {@code query} has now, or empty when the cache cannot be asked. */
    public Optional<String> pageKey(ListTools query) {
        if (listsUnsynced.get() || !store.available()) {
            return Optional.empty();
        }
        long generation = store.get(LIST_GENERATION_KEY).map(Long::parseLong).orElse(0L);
        return Optional.of(LIST_KEY + sha256(generation + "|" + query));
    }

    /** Forgets every tool entry and list page (the projection's reset). */
    void clear() {
        store.removeByPrefix(ALL_KEYS);
        invalidateLists();
        unsyncedTools.clear();
        resyncingTools.clear();
    }

    /** Ids whose latest state Redis has not taken yet; the caller re-reads and refreshes them. */
    Set<String> takeUnsynced() {
        if (unsyncedTools.isEmpty() && !listsUnsynced.get()) {
            return Set.of();
        }
        if (!store.available()) {
            return Set.of();
        }
        // invalidate before clearing the flag, so that no page of the old generation is read in between
        if (listsUnsynced.get() && store.increment(LIST_GENERATION_KEY).isPresent()) {
            listsUnsynced.set(false);
        }
        Set<String> ids = Set.copyOf(unsyncedTools);
        resyncingTools.addAll(ids);
        unsyncedTools.removeAll(ids);
        if (!ids.isEmpty()) {
            log.info("Writing {} tool(s) to the cache that changed while it was unreachable", ids.size());
        }
        return ids;
    }

    /** The caller could not rewrite the ids {@link #takeUnsynced()} gave it: they stay unsynced. */
    void resyncFailed(Set<String> toolIds) {
        unsyncedTools.addAll(toolIds);
        resyncingTools.removeAll(toolIds);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable cache entry", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
