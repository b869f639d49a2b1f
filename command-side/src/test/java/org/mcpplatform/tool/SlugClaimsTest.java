package org.mcpplatform.tool;

import com.mongodb.client.MongoCollection;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.eventstore.EventStoreNodes;
import org.mcpplatform.eventstore.EventStoreNodes.ManualClock;
import org.mcpplatform.eventstore.EventStoreNodes.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Slug claims against a real in-process MongoDB and the real event store, with a clock the test moves. */
class SlugClaimsTest {

    private static final Duration ORPHAN_AFTER = Duration.ofMinutes(2);
    private static final String SLUG = "weather";

    private final ManualClock clock = new ManualClock();
    private EventStoreConnection database;
    private Node node;
    private MongoCollection<Document> claimCollection;
    private SlugClaims claims;

    @BeforeEach
    void setUp() {
        database = new EventStoreConnection(EventStoreNodes.properties(Duration.ofSeconds(10)));
        node = new Node(database, EventStoreNodes.properties(Duration.ofSeconds(10)));
        claimCollection = database.database().getCollection("slugclaims");
        claims = new SlugClaims(claimCollection, node.eventStore, ORPHAN_AFTER, clock);
    }

    @AfterEach
    void tearDown() {
        node.close();
        database.close();
    }

    private void assertSlugTaken(String toolId) {
        assertThatThrownBy(() -> claims.claim(SLUG, toolId))
                .isInstanceOfSatisfying(ConflictException.class,
                                        conflict -> assertThat(conflict.code()).isEqualTo("SLUG_ALREADY_EXISTS"))
                .hasMessageContaining(SLUG);
    }

    private String holder() {
        Document claim = claimCollection.find(new Document("_id", SLUG)).first();
        return claim == null ? null : claim.getString("toolId");
    }

    private void storeFirstEventOf(String toolId) {
        node.eventStore.publish(new GenericDomainEventMessage<>("McpTool", toolId, 0, new EventStoreNodes.Noted("registered")));
    }

    @Test
    void theFirstClaimWinsAndEveryOtherToolGetsASlugConflict() {
        claims.claim(SLUG, "tool-1");
        assertSlugTaken("tool-2");
        assertSlugTaken("tool-3");
        assertThat(holder()).isEqualTo("tool-1");
        claims.claim("other-slug", "tool-2");
    }

    @Test
    void ofManyConcurrentClaimsExactlyOneSucceeds() throws Exception {
        int contenders = 20;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                String toolId = "tool-" + i;
                results.add(pool.submit((Callable<Boolean>) () -> {
                    start.await();
                    try {
                        claims.claim(SLUG, toolId);
                        return true;
                    } catch (ConflictException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(claimCollection.countDocuments()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyTheHolderCanReleaseAClaim() {
        claims.claim(SLUG, "tool-1");
        claims.release(SLUG, "tool-2");
        assertThat(holder()).isEqualTo("tool-1");
        assertSlugTaken("tool-2");

        claims.release(SLUG, "tool-1");
        assertThat(holder()).isNull();
        claims.claim(SLUG, "tool-2");
        assertThat(holder()).isEqualTo("tool-2");
    }

    @Test
    void aClaimWithoutEventsIsTakenOverOnlyOnceOlderThanOrphanAfter() {
        claims.claim(SLUG, "crashed-tool");

        clock.advance(ORPHAN_AFTER);
        assertSlugTaken("tool-2");
        assertThat(holder()).as("a claim exactly orphanAfter old may still be a registration in progress")
                            .isEqualTo("crashed-tool");

        clock.advance(Duration.ofMillis(1));
        claims.claim(SLUG, "tool-2");
        assertThat(holder()).isEqualTo("tool-2");
        assertThat(claimCollection.countDocuments()).isEqualTo(1);
        // the new claim is fresh: it is not an orphan in turn
        assertSlugTaken("tool-3");
    }

    @Test
    void aClaimWhoseToolHasEventsIsNeverTakenOverHoweverOld() {
        claims.claim(SLUG, "registered-tool");
        storeFirstEventOf("registered-tool");

        clock.advance(Duration.ofDays(365));
        assertSlugTaken("tool-2");
        assertThat(holder()).isEqualTo("registered-tool");
    }
}
