package org.mcpplatform.eventstore;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.mcpplatform.messaging.MessagingConfiguration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The production event store, built without Spring from {@link EventStoreConfiguration}'s own factory methods, as
 * one or more "nodes" over one MongoDB database. Each node has its own storage strategy and therefore its own group
 * commit writer thread, exactly like two application instances sharing one database.
 */
public final class EventStoreNodes {

    static final String AGGREGATE_TYPE = "Note";
    static final Duration FETCH_DELAY = Duration.ofMillis(20);

    /** A test event; public so that the Jackson serializer can read it back. */
    public record Noted(String text) {
    }

    private EventStoreNodes() {
    }

    public static EventStoreProperties properties(Duration commitWindow) {
        return new EventStoreProperties(null, "events_test", "target/unused", EventStoreProperties.EmbeddedBackend.MEMORY,
                                        commitWindow, 1000, FETCH_DELAY, 50, 0, Duration.ofMinutes(2));
    }

    /**
     * One application instance's event store. {@code beforeInsert} runs on the node's writer thread after positions
     * are reserved and before the insert, so it can hold (a slow commit) or throw (a writer that dies).
     */
    public static final class Node implements AutoCloseable {

        public final PositionedEventStorageStrategy strategy;
        public final PositionedMongoEventStorageEngine engine;
        public final EmbeddedEventStore eventStore;

        public Node(EventStoreConnection connection, EventStoreProperties properties, Clock clock,
             Consumer<List<Document>> beforeInsert) {
            EventStoreConfiguration configuration = new EventStoreConfiguration();
            strategy = new PositionedEventStorageStrategy(
                    connection.database().getCollection(EventStoreConfiguration.POSITIONS),
                    properties.commitWindow(), clock) {
                @Override
                protected void beforeInsert(List<Document> documents) {
                    beforeInsert.accept(documents);
                }
            };
            Serializer serializer = new MessagingConfiguration().eventSerializer();
            engine = (PositionedMongoEventStorageEngine) configuration.eventStorageEngine(
                    configuration.eventStoreMongoTemplate(connection, properties), strategy, serializer, serializer,
                    List.of(), properties);
            eventStore = EmbeddedEventStore.builder()
                                           .storageEngine(engine)
                                           .fetchDelay(properties.fetchDelay().toMillis())
                                           .build();
        }

        public Node(EventStoreConnection connection, EventStoreProperties properties) {
            this(connection, properties, Clock.systemUTC(), documents -> {
            });
        }

        @Override
        public void close() {
            eventStore.shutDown();
            strategy.close();
        }
    }

    static DomainEventMessage<Noted> event(String aggregateId, long sequence) {
        return event(aggregateId, sequence, aggregateId + "#" + sequence);
    }

    static DomainEventMessage<Noted> event(String aggregateId, long sequence, String text) {
        return new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, sequence, new Noted(text));
    }

    static boolean isFor(List<Document> documents, String aggregateId) {
        return documents.stream().anyMatch(document -> aggregateId.equals(document.getString("aggregateIdentifier")));
    }

    /** A tracking processor standing in for the projection: records each event it handles, with the token it had. */
    static final class RecordingProjection implements AutoCloseable {

        record Handled(String text, TrackingToken token) {
        }

        final List<Handled> handled = new CopyOnWriteArrayList<>();
        final TrackingEventProcessor processor;

        RecordingProjection(EventStore source) {
            processor = TrackingEventProcessor.builder()
                                              .name("recording-projection")
                                              .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                                                                                            .eventHandlers(this)
                                                                                            .build())
                                              .messageSource(source)
                                              .tokenStore(new InMemoryTokenStore())
                                              .transactionManager(NoTransactionManager.INSTANCE)
                                              .trackingEventProcessorConfiguration(
                                                      TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                                                         .andEventAvailabilityTimeout(
                                                                                                 100, java.util.concurrent.TimeUnit.MILLISECONDS))
                                              .build();
            processor.start();
        }

        @EventHandler
        void on(Noted event, TrackingToken token) {
            handled.add(new Handled(event.text(), token));
        }

        List<String> texts() {
            return handled.stream().map(Handled::text).toList();
        }

        boolean hasHandled(String text) {
            return texts().contains(text);
        }

        /** The gaps of the token that came with the event last handled. */
        List<Long> gapsAfterLastEvent() {
            TrackingToken token = handled.get(handled.size() - 1).token();
            return new ArrayList<>(((GapAwareTrackingToken) token).getGaps());
        }

        @Override
        public void close() {
            processor.shutDown();
        }
    }

    /** Polls every 10 ms until the condition holds, failing after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** A clock that moves only when told, so that the commit window can be passed without waiting it out. */
    public static final class ManualClock extends Clock {

        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        public void advance(Duration duration) {
            millis.addAndGet(duration.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
