package org.mcpplatform.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.eventstore.EventStoreNodes.Node;
import org.mcpplatform.eventstore.EventStoreNodes.Noted;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpplatform.eventstore.EventStoreNodes.await;
import static org.mcpplatform.eventstore.EventStoreNodes.event;
import static org.mcpplatform.eventstore.EventStoreNodes.isFor;
import static org.mcpplatform.eventstore.EventStoreNodes.properties;

/** Aggregate streams, snapshots and sequence-number conflicts of the positioned MongoDB event store. */
class PositionedEventStoreTest {

    private static final Duration COMMIT_WINDOW = Duration.ofSeconds(10);

    private EventStoreConnection database;
    private final List<Node> nodes = new ArrayList<>();
    private final CountDownLatch releaseWriter = new CountDownLatch(1);

    @BeforeEach
    void startDatabase() {
        database = new EventStoreConnection(properties(COMMIT_WINDOW));
    }

    @AfterEach
    void stopAll() {
        releaseWriter.countDown();
        nodes.forEach(Node::close);
        database.close();
    }

    private Node node() {
        Node node = new Node(database, properties(COMMIT_WINDOW));
        nodes.add(node);
        return node;
    }

    private static List<Long> sequences(List<? extends DomainEventMessage<?>> events) {
        return events.stream().map(DomainEventMessage::getSequenceNumber).toList();
    }

    private static List<String> texts(List<? extends DomainEventMessage<?>> events) {
        return events.stream().map(event -> ((Noted) event.getPayload()).text()).toList();
    }

    private static List<Long> range(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive).boxed().toList();
    }

    @Test
    void anAggregatesEventsAreReadInSequenceOrderWhateverWasWrittenInBetween() {
        Node node = node();
        // 40 events of x, in units of work of 1 to 4 events, interleaved with another aggregate's events
        long next = 0;
        long nextOfY = 0;
        int unit = 1;
        while (next < 40) {
            List<EventMessage<?>> batch = new ArrayList<>();
            for (int i = 0; i < unit && next < 40; i++) {
                batch.add(event("x", next++));
            }
            node.eventStore.publish(batch);
            node.eventStore.publish(event("y", nextOfY++));
            unit = unit % 4 + 1;
        }

        List<? extends DomainEventMessage<?>> all = node.engine.readEvents("x").asStream().toList();
        assertThat(sequences(all)).isEqualTo(range(0, 40));
        assertThat(all).allSatisfy(event -> assertThat(event.getAggregateIdentifier()).isEqualTo("x"));
        assertThat(texts(all).get(17)).isEqualTo("x#17");
        assertThat(sequences(node.engine.readEvents("x", 25).asStream().toList())).isEqualTo(range(25, 40));
        assertThat(node.eventStore.lastSequenceNumberFor("x")).contains(39L);
        assertThat(node.eventStore.lastSequenceNumberFor("y")).contains(nextOfY - 1);
        assertThat(node.engine.readEvents("unknown").asStream()).isEmpty();
        assertThat(node.eventStore.lastSequenceNumberFor("unknown")).isEmpty();
    }

    @Test
    void theLatestSnapshotIsKeptAndAggregateReadsStartFromIt() {
        Node node = node();
        for (long sequence = 0; sequence < 12; sequence++) {
            node.eventStore.publish(event("x", sequence));
        }
        assertThat(node.engine.readSnapshot("x")).isEmpty();

        node.eventStore.storeSnapshot(event("x", 4, "state after 4"));
        node.eventStore.storeSnapshot(event("x", 9, "state after 9"));
        node.eventStore.storeSnapshot(event("other", 0, "someone else's state"));

        DomainEventMessage<?> snapshot = node.engine.readSnapshot("x").orElseThrow();
        assertThat(snapshot.getSequenceNumber()).isEqualTo(9);
        assertThat(((Noted) snapshot.getPayload()).text()).isEqualTo("state after 9");

        List<? extends DomainEventMessage<?>> sourced = node.eventStore.readEvents("x").asStream().toList();
        assertThat(texts(sourced)).containsExactly("state after 9", "x#10", "x#11");
        assertThat(sequences(sourced)).containsExactly(9L, 10L, 11L);

        // another node sees the same snapshot: it is in the database, not in a node's memory
        assertThat(node().engine.readSnapshot("x").map(DomainEventMessage::getSequenceNumber)).contains(9L);
    }

    @Test
    void aSequenceNumberStoredTwiceIsAConcurrencyConflictAndKeepsTheFirstEvent() {
        Node nodeA = node();
        Node nodeB = node();
        nodeA.eventStore.publish(List.of(event("x", 0, "first"), event("x", 1, "second")));

        assertThatThrownBy(() -> nodeB.eventStore.publish(event("x", 0, "a second creation")))
                .isInstanceOf(AggregateStreamCreationException.class);
        assertThatThrownBy(() -> nodeB.eventStore.publish(event("x", 1, "lost race")))
                .isInstanceOf(ConcurrencyException.class);
        assertThatThrownBy(() -> nodeA.eventStore.publish(event("x", 1, "lost race on the same node")))
                .isInstanceOf(ConcurrencyException.class);
        // a unit of work whose first event collides stores none of its events
        assertThatThrownBy(() -> nodeB.eventStore.publish(List.of(event("x", 1, "stale"), event("x", 2, "stale"))))
                .isInstanceOf(ConcurrencyException.class);

        assertThat(texts(nodeA.engine.readEvents("x").asStream().toList())).containsExactly("first", "second");
        assertThat(nodeB.eventStore.lastSequenceNumberFor("x")).contains(1L);
    }

    @Test
    void aConflictFailsOnlyItsOwnUnitOfWorkWhenWrittenInOneGroupWithOthers() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        Node node = new Node(database, properties(COMMIT_WINDOW), java.time.Clock.systemUTC(), documents -> {
            if (isFor(documents, "blocker")) {
                held.countDown();
                try {
                    releaseWriter.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        nodes.add(node);
        node.eventStore.publish(event("x", 0, "first"));

        // park the writer so that the next two appends queue up and are written as one group
        CompletableFuture<Void> blocker = CompletableFuture.runAsync(() -> node.eventStore.publish(event("blocker", 0)));
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        List<Thread> appenders = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (DomainEventMessage<?> event : List.of(event("x", 0, "duplicate"), event("z", 0, "innocent"))) {
            Thread appender = new Thread(() -> {
                try {
                    node.eventStore.publish(event);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            appender.start();
            appenders.add(appender);
        }
        await("both appends wait for the writer", Duration.ofSeconds(5),
              () -> appenders.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING));
        releaseWriter.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        for (Thread appender : appenders) {
            appender.join(5_000);
        }

        assertThat(failures).singleElement().isInstanceOf(AggregateStreamCreationException.class);
        assertThat(texts(node.engine.readEvents("x").asStream().toList())).containsExactly("first");
        assertThat(texts(node.engine.readEvents("z").asStream().toList())).containsExactly("innocent");
    }
}
