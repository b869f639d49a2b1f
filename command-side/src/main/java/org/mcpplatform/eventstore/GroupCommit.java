package org.mcpplatform.eventstore;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongUnaryOperator;

/**
 * Group commit for the event store: the events of all units of work committing at the same moment are written by one
 * thread in one counter increment and one {@code insertMany}, instead of two round trips per unit of work, each
 * queueing for the collection lock of the in-process server. Each caller still waits for its own events to be
 * stored and gets its own failure: documents of different units of work are inserted unordered, so a duplicate
 * sequence number fails only the unit of work that owns it (its reserved position becomes a gap, like any position
 * whose write failed). A unit of work with several events is inserted on its own and ordered: only its first event
 * can collide (sequence numbers are contiguous), so it is stored whole or not at all.
 */
final class GroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Upper bound of documents per group: keeps one insert well under MongoDB's 16 MB message limit. */
    private static final int MAX_GROUP_DOCUMENTS = 500;

    /** The events of one unit of work and the caller waiting for them. */
    private record Request(List<Document> documents, CompletableFuture<Void> done) {
    }

    private final MongoCollection<Document> events;
    private final LongUnaryOperator reservePositions;
    private final PositionStamp stamp;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    /** Gives a group's documents their positions; {@code last} is the highest position reserved for them. */
    interface PositionStamp {
        void apply(List<Document> documents, long last);
    }

    GroupCommit(MongoCollection<Document> events, LongUnaryOperator reservePositions, PositionStamp stamp) {
        this.events = events;
        this.reservePositions = reservePositions;
        this.stamp = stamp;
        this.writer = new Thread(this::run, "event-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stores the documents, or throws what storing them threw. */
    void write(List<Document> documents) {
        if (!running) {
            throw new IllegalStateException("the event store is shutting down");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Request(documents, done));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the write may still happen: the unit of work must not claim otherwise
            done.join();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        }
    }

    private void run() {
        List<Request> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Request first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int documents = first.documents().size();
                Request next;
                while (documents < MAX_GROUP_DOCUMENTS && (next = queue.poll()) != null) {
                    group.add(next);
                    documents += next.documents().size();
                }
                writeGroup(group, documents);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                log.error("Event store writer failed", e);
                group.forEach(request -> request.done().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
        queue.forEach(request -> request.done().completeExceptionally(
                new IllegalStateException("the event store shut down")));
    }

    private void writeGroup(List<Request> group, int documentCount) {
        List<Document> all = new ArrayList<>(documentCount);
        group.forEach(request -> all.addAll(request.documents()));
        try {
            stamp.apply(all, reservePositions.applyAsLong(documentCount));
        } catch (RuntimeException e) {
            group.forEach(request -> request.done().completeExceptionally(e));
            return;
        }
        List<Request> singles = new ArrayList<>(group.size());
        for (Request request : group) {
            if (request.documents().size() == 1) {
                singles.add(request);
            } else {
                insert(request.documents(), true, List.of(request));
            }
        }
        if (!singles.isEmpty()) {
            List<Document> documents = new ArrayList<>(singles.size());
            singles.forEach(request -> documents.add(request.documents().get(0)));
            insert(documents, false, singles);
        }
    }

    /**
     * Inserts documents and completes their requests: each request whose document failed gets the failure, every
     * other one completes. For a multi-document request (ordered insert) any failure fails the request.
     */
    private void insert(List<Document> documents, boolean ordered, List<Request> requests) {
        try {
            events.insertMany(documents, new InsertManyOptions().ordered(ordered));
            requests.forEach(request -> request.done().complete(null));
        } catch (MongoBulkWriteException e) {
            if (ordered) {
                requests.forEach(request -> request.done().completeExceptionally(e));
                return;
            }
            Map<Integer, BulkWriteError> failedAt = new HashMap<>();
            e.getWriteErrors().forEach(error -> failedAt.put(error.getIndex(), error));
            for (int i = 0; i < requests.size(); i++) {
                BulkWriteError error = failedAt.get(i);
                if (error == null && e.getWriteConcernError() == null) {
                    requests.get(i).done().complete(null);
                } else {
                    requests.get(i).done().completeExceptionally(
                            new EventWriteException(error == null ? 0 : error.getCode(),
                                                    error == null ? e.getMessage() : error.getMessage(), e));
                }
            }
        } catch (RuntimeException e) {
            requests.forEach(request -> request.done().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One unit of work's share of a failed group insert. */
    static final class EventWriteException extends RuntimeException {
        private final int code;

        EventWriteException(int code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        boolean duplicateKey() {
            return code == 11000;
        }
    }
}
