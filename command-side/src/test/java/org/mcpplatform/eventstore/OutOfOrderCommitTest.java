package org.mcpplatform.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.eventstore.EventStoreNodes.ManualClock;
import org.mcpplatform.eventstore.EventStoreNodes.Node;
import org.mcpplatform.eventstore.EventStoreNodes.RecordingProjection;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpplatform.eventstore.EventStoreNodes.await;
import static org.mcpplatform.eventstore.EventStoreNodes.event;
import static org.mcpplatform.eventstore.EventStoreNodes.isFor;
import static org.mcpplatform.eventstore.EventStoreNodes.properties;

/**
 * No event is ever skipped by tracking, even when units of work commit in another order than the one their positions
 * (and timestamps) were given in. Two nodes share one database, each with its own writer; node A is held between
 * reserving its position and inserting its event while node B commits a later one.
 */
class OutOfOrderCommitTest {

    private static final Duration PRODUCTION_COMMIT_WINDOW = Duration.ofSeconds(10);
    private static final Duration SHORT_COMMIT_WINDOW = Duration.ofMillis(500);
    private static final Duration HOLD = Duration.ofSeconds(2);
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    private EventStoreConnection database(Duration commitWindow) {
        return closeLater(new EventStoreConnection(properties(commitWindow)));
    }

    private Node node(EventStoreConnection database, Duration commitWindow, Clock clock,
                      Consumer<List<Document>> beforeInsert) {
        return closeLater(new Node(database, properties(commitWindow), clock, beforeInsert));
    }

    /** A beforeInsert that parks the writer of {@code aggregateId}'s events until {@code release} opens. */
    private static Consumer<List<Document>> holding(String aggregateId, CountDownLatch reserved, CountDownLatch release) {
        return documents -> {
            if (isFor(documents, aggregateId)) {
                reserved.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the held writer");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Commits {@code event} in its own unit of work on another thread; the unit of work stays open while held. */
    private static CompletableFuture<Void> commitInUnitOfWork(Node node, DomainEventMessage<?> event) {
        return CompletableFuture.runAsync(() -> {
            UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            node.eventStore.publish(event);
            unitOfWork.commit();
        });
    }

    private static long position(GapAwareTrackingToken token) {
        return token.getIndex();
    }

    @Test
    void anEventCommittedAfterALaterOneIsStillDeliveredExactlyOnce() throws Exception {
        EventStoreConnection database = database(PRODUCTION_COMMIT_WINDOW);
        CountDownLatch aReserved = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        Node nodeA = node(database, PRODUCTION_COMMIT_WINDOW, Clock.systemUTC(), holding("a", aReserved, releaseA));
        Node nodeB = node(database, PRODUCTION_COMMIT_WINDOW, Clock.systemUTC(), documents -> {
        });
        RecordingProjection projection = closeLater(new RecordingProjection(nodeB.eventStore));
        closeLater(releaseA::countDown); // a failed assertion must not leave node A's writer parked

        nodeB.eventStore.publish(event("first", 0));
        await("the first event is projected", DELIVERY, () -> projection.hasHandled("first#0"));

        DomainEventMessage<?> eventA = event("a", 0);
        CompletableFuture<Void> writerA = commitInUnitOfWork(nodeA, eventA);
        assertThat(aReserved.await(5, TimeUnit.SECONDS)).as("writer A reserved its position").isTrue();
        long heldSince = System.nanoTime();

        DomainEventMessage<?> eventB = event("b", 0);
        nodeB.eventStore.publish(eventB);
        assertThat(eventA.getTimestamp()).as("A was stamped first, B commits first").isBefore(eventB.getTimestamp());
        await("B's event is projected while A is held", DELIVERY, () -> projection.hasHandled("b#0"));
        assertThat(projection.gapsAfterLastEvent()).as("A's reserved position is a gap the token still waits for")
                                                   .containsExactly(2L);

        // A stays open for the whole hold; tracking must neither deliver nor give up A's position meanwhile
        while (System.nanoTime() - heldSince < HOLD.toNanos()) {
            assertThat(writerA).isNotDone();
            assertThat(projection.texts()).doesNotContain("a#0");
            GapAwareTrackingToken current =
                    (GapAwareTrackingToken) projection.processor.processingStatus().get(0).getTrackingToken();
            assertThat(current.getGaps()).as("the processor's token while A is held").contains(2L);
            Thread.sleep(50);
        }
        releaseA.countDown();
        writerA.get(5, TimeUnit.SECONDS);

        await("A's late event is projected", DELIVERY, () -> projection.hasHandled("a#0"));
        nodeA.eventStore.publish(event("c", 0));
        await("a later event is projected", DELIVERY, () -> projection.hasHandled("c#0"));

        assertThat(projection.texts()).as("every event, each exactly once; A as soon as it was committed")
                                      .containsExactly("first#0", "b#0", "a#0", "c#0");
        GapAwareTrackingToken last = (GapAwareTrackingToken) projection.handled.get(3).token();
        assertThat(position(last)).isEqualTo(4);
        assertThat(last.getGaps()).isEmpty();

        // a reader starting afresh (a replay) finds no gap any more and reads in position order
        List<String> replayed = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = nodeA.eventStore.openStream(null)) {
            while (replayed.size() < 4 && stream.hasNextAvailable(5, TimeUnit.SECONDS)) {
                replayed.add(((EventStoreNodes.Noted) stream.nextAvailable().getPayload()).text());
            }
        }
        assertThat(replayed).containsExactly("first#0", "a#0", "b#0", "c#0");
    }

    @Test
    void thePositionOfAWriterThatDiedIsGivenUpAfterTheCommitWindowAndTrackingGoesOn() {
        ManualClock clock = new ManualClock();
        EventStoreConnection database = database(SHORT_COMMIT_WINDOW);
        Node node = node(database, SHORT_COMMIT_WINDOW, clock, documents -> {
            if (isFor(documents, "doomed")) {
                throw new IllegalStateException("the writer died after reserving its position");
            }
        });
        RecordingProjection projection = closeLater(new RecordingProjection(node.eventStore));

        assertThatThrownBy(() -> node.eventStore.publish(event("doomed", 0)))
                .isInstanceOf(EventStoreException.class)
                .isNotInstanceOf(AggregateStreamCreationException.class)
                .hasStackTraceContaining("writer died");
        node.eventStore.publish(event("b", 0));
        await("B is projected past the dead writer's position", DELIVERY, () -> projection.hasHandled("b#0"));
        assertThat(projection.gapsAfterLastEvent()).as("within the window the position is still waited for")
                                                   .containsExactly(1L);

        clock.advance(SHORT_COMMIT_WINDOW.minusMillis(100));
        node.eventStore.publish(event("c", 0));
        await("C is projected", DELIVERY, () -> projection.hasHandled("c#0"));
        assertThat(projection.gapsAfterLastEvent()).as("position 2 was reserved less than the window ago")
                                                   .containsExactly(1L);

        clock.advance(Duration.ofMillis(200));
        node.eventStore.publish(event("d", 0));
        await("D is projected", DELIVERY, () -> projection.hasHandled("d#0"));
        assertThat(projection.gapsAfterLastEvent()).as("position 2 was reserved more than the window ago").isEmpty();
        assertThat(projection.texts()).containsExactly("b#0", "c#0", "d#0");
    }

    @Test
    void aLateWriteWithinTheCommitWindowIsDelivered() throws Exception {
        ManualClock clock = new ManualClock();
        EventStoreConnection database = database(SHORT_COMMIT_WINDOW);
        CountDownLatch aReserved = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        Node nodeA = node(database, SHORT_COMMIT_WINDOW, clock, holding("a", aReserved, releaseA));
        Node nodeB = node(database, SHORT_COMMIT_WINDOW, clock, documents -> {
        });
        RecordingProjection projection = closeLater(new RecordingProjection(nodeB.eventStore));
        closeLater(releaseA::countDown); // a failed assertion must not leave node A's writer parked

        CompletableFuture<Void> writerA = commitInUnitOfWork(nodeA, event("a", 0));
        assertThat(aReserved.await(5, TimeUnit.SECONDS)).isTrue();
        nodeB.eventStore.publish(event("b", 0));
        await("B is projected", DELIVERY, () -> projection.hasHandled("b#0"));

        clock.advance(SHORT_COMMIT_WINDOW.minusMillis(50));
        nodeB.eventStore.publish(event("c", 0));
        await("C is projected", DELIVERY, () -> projection.hasHandled("c#0"));
        assertThat(projection.gapsAfterLastEvent()).containsExactly(1L);

        releaseA.countDown();
        writerA.get(5, TimeUnit.SECONDS);
        await("A's late event is projected", DELIVERY, () -> projection.hasHandled("a#0"));
        assertThat(projection.gapsAfterLastEvent()).isEmpty();
        nodeB.eventStore.publish(event("d", 0));
        await("D is projected", DELIVERY, () -> projection.hasHandled("d#0"));
        assertThat(projection.texts()).containsExactly("b#0", "c#0", "a#0", "d#0");
    }
}
