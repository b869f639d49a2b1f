package org.mcpplatform.eventstore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.axonframework.common.Assert;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntry;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static org.axonframework.common.DateTimeUtils.formatInstant;

/**
 * axon-mongo's document-per-event layout, with every event also given a global position, so that tracking
 * processors follow the store by position (Axon's {@link GapAwareTrackingToken}, as its JPA and JDBC stores do)
 * instead of by timestamp.
 * <p>
 * Why not axon-mongo's timestamp tracking: an event is stamped when it is applied and stored when its unit of work
 * commits, so a token built from timestamps needs a look-back that covers the longest such delay and must carry the
 * id of every event seen within it. Near the head that is ten thousand ids at a thousand events a second, re-read and
 * re-serialised on every batch; the in-process MongoDB server then also compares each document with each id. Here the
 * position is taken from a counter in the same step that stores the events, so a unit of work held open does not
 * matter at all, and the only thing a reader must wait for is a position that was reserved and not yet written: a
 * gap. Gaps are rare, so the token stays a number and a handful of gaps.
 * <p>
 * How long a gap is waited for is the commit window: a position is given up only when a later position was reserved
 * longer than the window ago (positions are reserved in order, so the missing one is older still). Deep in history
 * that is always true, so a replay never waits; at the head a writer has the whole window to finish its insert.
 * <p>
 * Every query here is an equality or {@code $in} on {@code _id} or on the unique {@code globalIndex} index: the
 * in-process MongoDB server uses an index only for that, and scans the whole collection for anything else (range
 * queries included). Event ids are {@code <aggregateIdentifier>:<sequenceNumber>}, which also makes the aggregate
 * stream unique without a second index. Snapshots are keyed by aggregate identifier, one per aggregate.
 */
public class PositionedEventStorageStrategy extends DocumentPerEventStorageStrategy implements AutoCloseable {

    /** The field of an event document holding its global position (the audit log sorts by it). */
    public static final String GLOBAL_INDEX = "globalIndex";
    static final String RESERVED_AT = "reservedAt";
    private static final String ID = "_id";
    private static final String COUNTER_ID = "events";
    private static final String COUNTER_VALUE = "value";
    /** The gap bound is time (the commit window), not distance: never drop a gap because many events followed it. */
    private static final int MAX_GAP_OFFSET = Integer.MAX_VALUE;
    /** First probe size when reading an aggregate's stream; most tools have a handful of events. */
    private static final int FIRST_AGGREGATE_PROBE = 16;
    /** How far back the head token looks for positions reserved but not yet written. */
    private static final int HEAD_TOKEN_LOOK_BACK = 1_000;

    private final EventEntryConfiguration entries = EventEntryConfiguration.getDefault();
    private final MongoCollection<Document> positions;
    private final Duration commitWindow;
    private final Clock clock;
    private volatile GroupCommit groupCommit;

    public PositionedEventStorageStrategy(MongoCollection<Document> positions, Duration commitWindow, Clock clock) {
        super(EventEntryConfiguration.getDefault(), commitWindow);
        this.positions = positions;
        this.commitWindow = commitWindow;
        this.clock = clock;
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    @Override
    public void appendEvents(MongoCollection<Document> eventCollection,
                             List<? extends EventMessage<?>> events,
                             Serializer serializer) {
        List<Document> documents = createEventDocuments(events, serializer).collect(Collectors.toList());
        if (documents.isEmpty()) {
            return;
        }
        for (Document document : documents) {
            document.put(ID, eventDocumentId(document.getString(entries.aggregateIdentifierProperty()),
                                             document.getLong(entries.sequenceNumberProperty())));
        }
        groupCommit(eventCollection).write(documents);
    }

    private GroupCommit groupCommit(MongoCollection<Document> eventCollection) {
        GroupCommit current = groupCommit;
        if (current == null) {
            synchronized (this) {
                if (groupCommit == null) {
                    groupCommit = new GroupCommit(eventCollection, this::reservePositions, this::stamp);
                }
                current = groupCommit;
            }
        }
        return current;
    }

    /** Positions {@code last - n + 1 .. last}, in the order the documents were handed over. */
    private void stamp(List<Document> documents, long last) {
        long position = last - documents.size() + 1;
        long reservedAt = clock.millis();
        for (Document document : documents) {
            document.put(GLOBAL_INDEX, position++);
            document.put(RESERVED_AT, reservedAt);
        }
        beforeInsert(documents);
    }

    /** Seam for tests that hold a writer between reserving its positions and inserting its events. */
    protected void beforeInsert(List<Document> documents) {
    }

    /** Stops the writer after the events already handed to it are stored. */
    @Override
    public void close() {
        GroupCommit current = groupCommit;
        if (current != null) {
            current.close();
        }
    }

    /** Whether a failure to append means another writer already stored that aggregate sequence number. */
    static boolean isDuplicateKey(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof GroupCommit.EventWriteException write && write.duplicateKey()
                    || cause instanceof com.mongodb.DuplicateKeyException
                    || cause instanceof com.mongodb.MongoBulkWriteException bulk
                    && bulk.getWriteErrors().stream().anyMatch(error -> error.getCode() == 11000)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reserves {@code count} positions atomically and returns the last. Asks for the counter as it was before the
     * increment: the in-process server answers "after" with its live document, which a concurrent increment can change
     * before the answer is written, while "before" is a private copy.
     */
    private long reservePositions(long count) {
        Document before = positions.findOneAndUpdate(eq(ID, COUNTER_ID),
                                                     Updates.inc(COUNTER_VALUE, count),
                                                     new FindOneAndUpdateOptions().upsert(true)
                                                                                  .returnDocument(ReturnDocument.BEFORE));
        long previous = before == null ? 0 : ((Number) before.get(COUNTER_VALUE)).longValue();
        return previous + count;
    }

    /** The highest position reserved so far; 0 for an empty store. */
    long headPosition() {
        Document counter = positions.find(eq(ID, COUNTER_ID)).first();
        return counter == null ? 0 : ((Number) counter.get(COUNTER_VALUE)).longValue();
    }

    static String eventDocumentId(String aggregateIdentifier, long sequenceNumber) {
        return aggregateIdentifier + ":" + sequenceNumber;
    }

    @Override
    public void appendSnapshot(MongoCollection<Document> snapshotCollection,
                               org.axonframework.eventhandling.DomainEventMessage<?> snapshot,
                               Serializer serializer) {
        Document document = createSnapshotDocument(snapshot, serializer);
        document.put(ID, snapshot.getAggregateIdentifier());
        snapshotCollection.replaceOne(eq(ID, snapshot.getAggregateIdentifier()), document,
                                      new ReplaceOptions().upsert(true));
    }

    @Override
    public void deleteSnapshots(MongoCollection<Document> snapshotCollection, String aggregateIdentifier,
                                long sequenceNumber) {
        // one snapshot per aggregate, replaced in place by appendSnapshot: there is never an older one to delete
    }

    // ---- aggregate streams ------------------------------------------------------------------------------------

    @Override
    public List<? extends DomainEventData<?>> findDomainEvents(MongoCollection<Document> collection,
                                                               String aggregateIdentifier,
                                                               long firstSequenceNumber,
                                                               int batchSize) {
        // Sequence numbers of one aggregate are contiguous, so its events are found by id, in growing probes,
        // until a probe comes back short.
        List<Document> found = new ArrayList<>();
        long next = firstSequenceNumber;
        int probe = Math.min(FIRST_AGGREGATE_PROBE, batchSize);
        while (found.size() < batchSize) {
            int size = Math.min(probe, batchSize - found.size());
            List<String> ids = LongStream.range(next, next + size)
                                         .mapToObj(sequence -> eventDocumentId(aggregateIdentifier, sequence))
                                         .collect(Collectors.toList());
            List<Document> batch = collection.find(in(ID, ids)).into(new ArrayList<>());
            found.addAll(batch);
            if (batch.size() < size) {
                break;
            }
            next += size;
            probe = Math.min(probe * 4, batchSize);
        }
        return found.stream()
                    .sorted(Comparator.comparingLong(d -> d.getLong(entries.sequenceNumberProperty())))
                    .map(this::toEntry)
                    .collect(Collectors.toList());
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(MongoCollection<Document> eventsCollection,
                                                String aggregateIdentifier) {
        if (!exists(eventsCollection, aggregateIdentifier, 0)) {
            return Optional.empty();
        }
        // exponential probe for an upper bound, then binary search: O(log n) lookups by id
        long low = 0;
        long high = 1;
        while (exists(eventsCollection, aggregateIdentifier, high)) {
            low = high;
            high *= 2;
        }
        while (high - low > 1) {
            long middle = (low + high) >>> 1;
            if (exists(eventsCollection, aggregateIdentifier, middle)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return Optional.of(low);
    }

    private boolean exists(MongoCollection<Document> events, String aggregateIdentifier, long sequenceNumber) {
        return events.find(eq(ID, eventDocumentId(aggregateIdentifier, sequenceNumber)))
                     .projection(new Document(ID, 1))
                     .first() != null;
    }

    @Override
    public Stream<? extends DomainEventData<?>> findSnapshots(MongoCollection<Document> snapshotCollection,
                                                              String aggregateIdentifier) {
        Document snapshot = snapshotCollection.find(eq(ID, aggregateIdentifier)).first();
        return snapshot == null ? Stream.empty() : Stream.of(new EventEntry(snapshot, entries));
    }

    // ---- tracking ---------------------------------------------------------------------------------------------

    @Override
    public List<? extends TrackedEventData<?>> findTrackedEvents(MongoCollection<Document> eventCollection,
                                                                 TrackingToken lastToken,
                                                                 int batchSize) {
        Assert.isTrue(lastToken == null || lastToken instanceof GapAwareTrackingToken,
                      () -> "Token " + lastToken + " is not a position token of this store");
        GapAwareTrackingToken token = withExpiredGapsDropped(eventCollection, (GapAwareTrackingToken) lastToken);
        long head = headPosition();
        List<Document> found = new ArrayList<>();
        if (token != null && token.hasGaps()) {
            found.addAll(findAt(eventCollection, token.getGaps()));
        }
        long from = token == null ? 1 : token.getIndex() + 1;
        while (from <= head) {
            long to = Math.min(head, from + batchSize - 1);
            List<Document> range = findAt(eventCollection, LongStream.rangeClosed(from, to).boxed().toList());
            found.addAll(range);
            if (!range.isEmpty()) {
                break;
            }
            // a whole window of reserved positions with nothing written yet: look beyond it
            from = to + 1;
        }
        found.sort(Comparator.comparingLong(PositionedEventStorageStrategy::position));

        long expiredBefore = clock.millis() - commitWindow.toMillis();
        List<TrackedEventData<?>> tracked = new ArrayList<>(found.size());
        GapAwareTrackingToken current = token;
        for (Document document : found) {
            long position = position(document);
            if (current != null && position <= current.getIndex() && !current.getGaps().contains(position)) {
                continue;
            }
            current = current == null
                    ? GapAwareTrackingToken.newInstance(position, LongStream.range(1, position).boxed().toList())
                    : current.advanceTo(position, MAX_GAP_OFFSET);
            if (reservedAt(document) < expiredBefore) {
                current = current.withGapsTruncatedAt(position);
            }
            tracked.add(new TrackedDomainEventData<>(current, toEntry(document)));
        }
        return tracked;
    }

    /**
     * Drops the token's gaps that can no longer be filled: a gap is older than any later position, so once some
     * later position was reserved more than the commit window ago, every gap below it has had its window.
     */
    private GapAwareTrackingToken withExpiredGapsDropped(MongoCollection<Document> events,
                                                         GapAwareTrackingToken token) {
        if (token == null || !token.hasGaps()) {
            return token;
        }
        SortedSet<Long> gaps = token.getGaps();
        List<Long> successors = new ArrayList<>();
        for (Long gap : gaps) {
            if (!gaps.contains(gap + 1)) {
                successors.add(gap + 1);
            }
        }
        long expiredBefore = clock.millis() - commitWindow.toMillis();
        long truncateAt = findAt(events, successors, new Document(GLOBAL_INDEX, 1).append(RESERVED_AT, 1))
                .stream()
                .filter(document -> reservedAt(document) < expiredBefore)
                .mapToLong(PositionedEventStorageStrategy::position)
                .max()
                .orElse(Long.MIN_VALUE);
        return truncateAt == Long.MIN_VALUE ? token : token.withGapsTruncatedAt(truncateAt);
    }

    private List<Document> findAt(MongoCollection<Document> events, Collection<Long> positions) {
        return findAt(events, positions, null);
    }

    private List<Document> findAt(MongoCollection<Document> events, Collection<Long> positions, Document projection) {
        if (positions.isEmpty()) {
            return List.of();
        }
        Bson filter = in(GLOBAL_INDEX, positions);
        return (projection == null ? events.find(filter) : events.find(filter).projection(projection))
                .into(new ArrayList<>());
    }

    /** A token that starts after every event stored now, still waiting for positions reserved and not yet written. */
    public TrackingToken createHeadToken(MongoCollection<Document> events) {
        return tokenAfter(events, headPosition());
    }

    /** A token from which tracking delivers the first event stamped at or after {@code dateTime}. */
    public TrackingToken createTokenAt(MongoCollection<Document> events, Instant dateTime) {
        // A range query, so a scan on the in-process server: acceptable for this rare operator action.
        Document first = events.find(gte(entries.timestampProperty(), formatInstant(dateTime)))
                               .sort(Indexes.ascending(GLOBAL_INDEX))
                               .projection(new Document(GLOBAL_INDEX, 1))
                               .first();
        return first == null ? createHeadToken(events) : tokenAfter(events, position(first) - 1);
    }

    private TrackingToken tokenAfter(MongoCollection<Document> events, long position) {
        if (position <= 0) {
            return null;
        }
        long from = Math.max(1, position - HEAD_TOKEN_LOOK_BACK + 1);
        List<Long> window = LongStream.rangeClosed(from, position).boxed().toList();
        Set<Long> written = findAt(events, window, new Document(GLOBAL_INDEX, 1)).stream()
                                                                                 .map(PositionedEventStorageStrategy::position)
                                                                                 .collect(Collectors.toSet());
        List<Long> missing = window.stream().filter(p -> !written.contains(p)).toList();
        return GapAwareTrackingToken.newInstance(position, missing);
    }

    @Override
    public TrackingToken createTailToken(MongoCollection<Document> eventsCollection) {
        return null;
    }

    @Override
    public void ensureIndexes(MongoCollection<Document> eventsCollection,
                              MongoCollection<Document> snapshotsCollection) {
        eventsCollection.createIndex(Indexes.ascending(GLOBAL_INDEX),
                                     new IndexOptions().unique(true).name("globalIndex"));
        // only a real MongoDB uses this one (createTokenAt); the in-process server keeps no non-unique indexes
        eventsCollection.createIndex(Indexes.ascending(entries.timestampProperty()),
                                     new IndexOptions().name("timestamp"));
    }

    private DomainEventData<?> toEntry(Document document) {
        return new EventEntry(document, entries);
    }

    private static long position(Document document) {
        return ((Number) document.get(GLOBAL_INDEX)).longValue();
    }

    private static long reservedAt(Document document) {
        return ((Number) document.get(RESERVED_AT)).longValue();
    }

}
