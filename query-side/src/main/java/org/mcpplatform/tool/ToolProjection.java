package org.mcpplatform.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.mcpplatform.projection.ParkedEvents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Projects tool events into the mcp_tools table and the tool cache. The only writer of both.
 * <p>
 * The tracking processor hands over events in batches, one unit of work and one transaction per batch. The handlers
 * only record what changes, per tool; the rows are written in one go when the batch commits, in the transaction that
 * also stores the processor's token, so rows and token never disagree. After the commit the changed tools are read
 * back and written to the cache, list pages are invalidated, and requests waiting for a tool's new revision are
 * told ({@link ToolUpdates}); after a replayed batch the tools' cache entries are only evicted. The handlers touch no
 * database themselves, so an exception from one is about that event alone: it goes to the processing group's
 * dead-letter queue, and later events of the same tool follow it there, in order.
 * <p>
 * A rebuild beside the live read model runs a second instance ({@link #intoShadowTable}) that writes the shadow of
 * mcp_tools and nothing else: nobody reads the shadow until it is swapped in, so it has no cache to refresh and no
 * request to tell.
 */
@ProcessingGroup(ToolProjection.PROCESSING_GROUP)
public class ToolProjection {

    public static final String PROCESSING_GROUP = "tool-projection";
    private static final String BATCH_RESOURCE = ToolProjection.class.getName() + ".batch";
    /** Rewrites after a resync before giving up to the entry's TTL (the tool is changing faster than we can read). */
    private static final int MAX_RESYNC_REREADS = 5;

    private final ToolReadRepository repository;
    private final ToolCache cache;
    private final ToolUpdates updates;
    private final ObjectMapper json;

    public ToolProjection(ToolReadRepository repository, ToolCache cache, ToolUpdates updates, ObjectMapper json) {
        this.repository = repository;
        this.cache = cache;
        this.updates = updates;
        this.json = json;
    }

    /** The projection of a rebuild: into {@code shadow} only, with no cache and nobody waiting. */
    static ToolProjection intoShadowTable(ToolReadRepository shadow, ObjectMapper json) {
        return new ToolProjection(shadow, null, null, json);
    }

    @EventHandler
    void on(ToolRegistered event, @SequenceNumber long sequence, @Timestamp Instant at) {
        String config = text(event.config());
        batch().register(event.toolId(), sequence + 1, at, row -> row.set(ToolRow.NAME, event.name())
                                                                     .set("slug", event.slug())
                                                                     .set(ToolRow.DESCRIPTION, event.description())
                                                                     .set(ToolRow.VERSION, event.version())
                                                                     .set(ToolRow.CONFIG, config)
                                                                     .set("author_id", event.authorId())
                                                                     .set(ToolRow.STATUS, event.status().value())
                                                                     .set("created_at", at)
                                                                     .set(ToolRow.DELETED_AT, null));
    }

    @EventHandler
    void on(ToolUpdated event, @SequenceNumber long sequence, @Timestamp Instant at) {
        String config = event.config() == null ? null : text(event.config());
        batch().change(event.toolId(), sequence + 1, at, row -> {
            row.set(ToolRow.NAME, event.name())
               .set(ToolRow.DESCRIPTION, event.description())
               .set(ToolRow.VERSION, event.version());
            if (config != null) {
                row.set(ToolRow.CONFIG, config);
            }
        });
    }

    @EventHandler
    void on(ToolStatusChanged event, @SequenceNumber long sequence, @Timestamp Instant at) {
        batch().change(event.toolId(), sequence + 1, at, row -> row.set(ToolRow.STATUS, event.to().value()));
    }

    @EventHandler
    void on(ToolDeleted event, @SequenceNumber long sequence, @Timestamp Instant at) {
        batch().change(event.toolId(), sequence + 1, at, row -> row.set(ToolRow.DELETED_AT, at));
    }

    @EventHandler
    void on(ToolConfigReverted event, @SequenceNumber long sequence, @Timestamp Instant at) {
        String config = text(event.config());
        batch().change(event.toolId(), sequence + 1, at, row -> row.set(ToolRow.CONFIG, config));
    }

    /** Before a replay: the read model is rebuilt from the first event, so everything it holds goes. */
    @ResetHandler
    void reset() {
        repository.deleteAll();
        cache.clear();
    }

    /**
     * Tools Redis missed while it was down, written again once it answers. This runs beside the projection: a tool the
     * projection commits and caches between this read and this write would be overwritten with the older row, so the
     * rows are read again after the write and whatever moved on meanwhile is written again.
     */
    void resyncCache() {
        Set<String> ids = cache.takeUnsynced();
        if (ids.isEmpty()) {
            return;
        }
        try {
            List<ToolView> written = repository.findByIds(ids);
            cache.refresh(written);
            Map<String, Long> revisionsWritten = new HashMap<>();
            written.forEach(tool -> revisionsWritten.put(tool.id(), tool.revision()));
            for (int attempt = 0; attempt < MAX_RESYNC_REREADS; attempt++) {
                List<ToolView> movedOn = repository.findByIds(ids).stream()
                                                   .filter(tool -> !Long.valueOf(tool.revision())
                                                                        .equals(revisionsWritten.get(tool.id())))
                                                   .toList();
                if (movedOn.isEmpty()) {
                    return;
                }
                cache.refresh(movedOn);
                movedOn.forEach(tool -> revisionsWritten.put(tool.id(), tool.revision()));
            }
        } catch (RuntimeException e) {
            cache.resyncFailed(ids);
            throw e;
        }
    }

    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        Batch batch = unitOfWork.root().getOrComputeResource(BATCH_RESOURCE, key -> {
            Batch created = new Batch();
            unitOfWork.root().onPrepareCommit(u -> created.write());
            unitOfWork.root().afterCommit(u -> created.publish());
            return created;
        });
        if (!(unitOfWork.getMessage() instanceof TrackedEventMessage<?> event && ReplayToken.isReplay(event))) {
            batch.live = true;
        }
        return batch;
    }

    private String text(JsonNode config) {
        try {
            return json.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config cannot be written as JSON", e);
        }
    }

    /**
     * What one batch of events changes, per tool, in the order the tools were first touched. Each event's change is
     * staged on its own and applied when the batch commits, leaving out events the processing group parked in its
     * dead-letter queue (another handler of the group failed on them after this one had handled them).
     */
    private final class Batch {

        /** One handled event: the change it makes to its tool's row. */
        private record Staged(String eventId, boolean registration, long revision, Instant at, Consumer<ToolRow> change) {
        }

        private final Map<String, List<Staged>> staged = new LinkedHashMap<>();
        private final Map<String, ToolRow> rows = new LinkedHashMap<>();
        /** Whether an event of the batch is live rather than replayed: someone may be waiting for it. */
        private boolean live;

        void register(String toolId, long revision, Instant at, Consumer<ToolRow> change) {
            stage(toolId, new Staged(currentEventId(), true, revision, at, change));
        }

        void change(String toolId, long revision, Instant at, Consumer<ToolRow> change) {
            stage(toolId, new Staged(currentEventId(), false, revision, at, change));
        }

        private void stage(String toolId, Staged change) {
            staged.computeIfAbsent(toolId, id -> new ArrayList<>()).add(change);
        }

        private static String currentEventId() {
            return CurrentUnitOfWork.get().getMessage().getIdentifier();
        }

        void write() {
            Set<String> parked = ParkedEvents.parkedIn(CurrentUnitOfWork.get());
            staged.forEach((toolId, changes) -> {
                ToolRow row = null;
                for (Staged change : changes) {
                    if (parked.contains(change.eventId())) {
                        break; // the tool's later events are parked behind it and were not handled
                    }
                    if (row == null) {
                        row = change.registration() ? ToolRow.registered(toolId) : ToolRow.changed(toolId);
                    }
                    change.change().accept(row);
                    row.advance(change.revision(), change.at());
                }
                if (row != null) {
                    rows.put(toolId, row);
                }
            });
            List<ToolRow> inserts = new ArrayList<>();
            List<ToolRow> updates = new ArrayList<>();
            rows.values().forEach(row -> (row.registered ? inserts : updates).add(row));
            repository.insertAll(inserts);
            List<String> missing = repository.updateAll(updates);
            if (!missing.isEmpty()) {
                // Never skip silently: the read model lost rows it should have. The batch fails and is retried;
                // rebuilding the projection mends the table.
                throw new IllegalStateException("mcp_tools has no row for tool(s) " + missing
                                                        + " while applying their later events; rebuild the "
                                                        + PROCESSING_GROUP + " projection");
            }
        }

        void publish() {
            if (rows.isEmpty() || cache == null) {
                return; // nothing changed, or a rebuild's shadow table, which nobody reads yet
            }
            if (!live) {
                // nobody waits for a replayed event, and the rows are read back on demand
                cache.evict(rows.keySet());
                return;
            }
            List<ToolView> changed;
            try {
                changed = repository.findByIds(rows.keySet());
            } catch (RuntimeException e) {
                // committed, but not readable right now: the cache catches up once the database answers again
                cache.markUnsynced(rows.keySet());
                throw e;
            }
            cache.refresh(changed);
            updates.committed(changed);
        }
    }
}
