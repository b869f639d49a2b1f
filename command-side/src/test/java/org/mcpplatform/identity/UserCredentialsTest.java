package org.mcpplatform.identity;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.eventstore.EventStoreNodes;
import org.mcpplatform.eventstore.EventStoreNodes.ManualClock;
import org.mcpplatform.eventstore.EventStoreNodes.Node;
import org.mcpplatform.eventstore.EventStoreProperties;
import org.mcpplatform.eventstore.EventStoreProperties.EmbeddedBackend;

import java.nio.file.Path;
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

/** User credentials against a real in-process MongoDB and the real event store, with a clock the test moves. */
class UserCredentialsTest {

    private static final Duration ORPHAN_AFTER = Duration.ofMinutes(2);
    private static final String HASH = "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";

    private final ManualClock clock = new ManualClock();
    private EventStoreConnection database;
    private Node node;
    private UserCredentials credentials;

    @BeforeEach
    void setUp() {
        database = new EventStoreConnection(EventStoreNodes.properties(Duration.ofSeconds(10)));
        node = new Node(database, EventStoreNodes.properties(Duration.ofSeconds(10)));
        credentials = credentials(database, node);
    }

    @AfterEach
    void tearDown() {
        node.close();
        database.close();
    }

    private UserCredentials credentials(EventStoreConnection connection, Node events) {
        return new UserCredentials(connection.database().getCollection(UserCommandConfiguration.USER_CREDENTIALS),
                                   events.eventStore, ORPHAN_AFTER, clock);
    }

    private void claim(String userId, String username, String email) {
        credentials.claim(userId, username, email, Role.DEVELOPER, HASH);
    }

    private static void assertConflict(String code, Runnable claim) {
        assertThatThrownBy(claim::run)
                .isInstanceOfSatisfying(ConflictException.class,
                                        conflict -> assertThat(conflict.code()).isEqualTo(code));
    }

    private void storeFirstEventOf(String userId) {
        node.eventStore.publish(new GenericDomainEventMessage<>("UserAccount", userId, 0,
                                                                new EventStoreNodes.Noted("registered")));
    }

    @Test
    void anAccountIsFoundByItsUsernameInAnyCaseAndByItsId() {
        claim("u-1", "Ada.Lovelace", "ada@example.com");
        UserCredential ada = new UserCredential("u-1", "Ada.Lovelace", HASH, Role.DEVELOPER, true);
        assertThat(credentials.findByUsername("ada.LOVELACE")).contains(ada);
        assertThat(credentials.findById("u-1")).contains(ada);
        assertThat(credentials.findByUsername("ada")).isEmpty();
        assertThat(credentials.findById("u-2")).isEmpty();
    }

    @Test
    void aUsernameIsClaimedOnceWhateverItsCase() {
        claim("u-1", "ada", "ada@example.com");
        assertConflict("USERNAME_TAKEN", () -> claim("u-2", "ADA", "other@example.com"));
        assertThat(credentials.findById("u-2")).isEmpty();
    }

    @Test
    void anEmailIsClaimedOnceWhateverItsCase() {
        claim("u-1", "ada", "ada@example.com");
        assertConflict("EMAIL_TAKEN", () -> claim("u-2", "ben", "Ada@Example.COM"));
    }

    @Test
    void aTakenUsernameIsReportedBeforeATakenEmail() {
        claim("u-1", "ada", "ada@example.com");
        claim("u-2", "ben", "ben@example.com");
        assertConflict("USERNAME_TAKEN", () -> claim("u-3", "ada", "ben@example.com"));
    }

    @Test
    void aUserIdIsClaimedOnce() {
        claim("u-1", "ada", "ada@example.com");
        assertConflict("CONFLICT", () -> claim("u-1", "ben", "ben@example.com"));
        assertThat(credentials.findById("u-1").orElseThrow().username()).isEqualTo("ada");
    }

    @Test
    void ofManyConcurrentRegistrationsOfOneUsernameExactlyOneSucceeds() throws Exception {
        int contenders = 20;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                String userId = "u-" + i;
                // every case of one name, every one with its own email
                String username = i % 2 == 0 ? "ada" : "ADA";
                results.add(pool.submit((Callable<Boolean>) () -> {
                    start.await();
                    try {
                        claim(userId, username, userId + "@example.com");
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
            assertThat(credentials.count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void releasingFreesTheUsernameAndTheEmail() {
        claim("u-1", "ada", "ada@example.com");
        credentials.release("u-1");
        assertThat(credentials.findById("u-1")).isEmpty();
        claim("u-2", "ada", "ada@example.com");
        assertThat(credentials.findByUsername("ada").orElseThrow().userId()).isEqualTo("u-2");
    }

    @Test
    void aClaimWithoutEventsIsTakenOverOnlyOnceOlderThanOrphanAfter() {
        claim("crashed", "ada", "ada@example.com");

        clock.advance(ORPHAN_AFTER);
        assertConflict("USERNAME_TAKEN", () -> claim("u-2", "ada", "ada@example.com"));

        clock.advance(Duration.ofMillis(1));
        claim("u-2", "ada", "ada@example.com");
        assertThat(credentials.findByUsername("ada").orElseThrow().userId()).isEqualTo("u-2");
        assertThat(credentials.findById("crashed")).isEmpty();
        // the new claim is fresh: it is not an orphan in turn
        assertConflict("USERNAME_TAKEN", () -> claim("u-3", "ada", "other@example.com"));
    }

    @Test
    void orphansHoldingTheUsernameAndTheEmailAreBothTakenOver() {
        claim("crashed-1", "ada", "first@example.com");
        claim("crashed-2", "first", "ada@example.com");
        clock.advance(ORPHAN_AFTER.plusSeconds(1));
        claim("u-3", "ada", "ada@example.com");
        assertThat(credentials.count()).isEqualTo(1);
        assertThat(credentials.findById("u-3")).isPresent();
    }

    @Test
    void aClaimWhoseAccountHasEventsIsNeverTakenOverHoweverOld() {
        claim("registered", "ada", "ada@example.com");
        storeFirstEventOf("registered");

        clock.advance(Duration.ofDays(365));
        assertConflict("USERNAME_TAKEN", () -> claim("u-2", "ada", "other@example.com"));
        assertConflict("EMAIL_TAKEN", () -> claim("u-2", "ben", "ada@example.com"));
        assertThat(credentials.findById("registered")).isPresent();
    }

    @Test
    void roleAndActiveFlagChangesAreReadBackAtOnce() {
        claim("u-1", "ada", "ada@example.com");
        credentials.setRole("u-1", Role.ADMIN);
        credentials.setActive("u-1", false);
        assertThat(credentials.findByUsername("ada"))
                .contains(new UserCredential("u-1", "ada", HASH, Role.ADMIN, false));
    }

    @Test
    void countIsTheNumberOfAccounts() {
        assertThat(credentials.count()).isZero();
        claim("u-1", "ada", "ada@example.com");
        claim("u-2", "ben", "ben@example.com");
        assertThat(credentials.count()).isEqualTo(2);
    }

    @Test
    void theHashIsNeverPrinted() {
        assertThat(new UserCredential("u-1", "ada", HASH, Role.VIEWER, true).toString())
                .doesNotContain(HASH).contains("u-1", "ada");
    }

    enum Connection { EMBEDDED_MEMORY, EMBEDDED_H2, MONGODB_URI }

    @ParameterizedTest
    @EnumSource(Connection.class)
    void theUniqueIndexesHoldOnEveryKindOfConnection(Connection kind, @TempDir Path dataDir) {
        MongoServer server = kind == Connection.MONGODB_URI ? new MongoServer(new MemoryBackend()) : null;
        String uri = server == null ? null : server.bindAndGetConnectionString();
        EmbeddedBackend backend = kind == Connection.EMBEDDED_H2 ? EmbeddedBackend.H2 : EmbeddedBackend.MEMORY;
        try (EventStoreConnection connection = new EventStoreConnection(properties(uri, dataDir, backend));
             Node events = new Node(connection, properties(uri, dataDir, backend))) {
            assertThat(connection.isEmbedded()).isEqualTo(server == null);
            UserCredentials store = credentials(connection, events);
            store.claim("u-1", "ada", "ada@example.com", Role.ADMIN, HASH);
            assertConflict("USERNAME_TAKEN", () -> store.claim("u-2", "Ada", "ben@example.com", Role.ADMIN, HASH));
            assertConflict("EMAIL_TAKEN", () -> store.claim("u-2", "ben", "ADA@example.com", Role.ADMIN, HASH));
            store.claim("u-2", "ben", "ben@example.com", Role.ADMIN, HASH);
            assertThat(store.count()).isEqualTo(2);
        } finally {
            if (server != null) {
                server.shutdownNow();
            }
        }
    }

    @Test
    void theH2FileKeepsTheCredentialsAndTheirIndexesAcrossRestarts(@TempDir Path dataDir) {
        EventStoreProperties properties = properties(null, dataDir, EmbeddedBackend.H2);
        try (EventStoreConnection connection = new EventStoreConnection(properties);
             Node events = new Node(connection, properties)) {
            credentials(connection, events).claim("u-1", "ada", "ada@example.com", Role.ADMIN, HASH);
        }
        try (EventStoreConnection connection = new EventStoreConnection(properties);
             Node events = new Node(connection, properties)) {
            UserCredentials reopened = credentials(connection, events);
            assertThat(reopened.findByUsername("ADA").orElseThrow().userId()).isEqualTo("u-1");
            assertConflict("USERNAME_TAKEN", () -> reopened.claim("u-2", "ada", "b@example.com", Role.ADMIN, HASH));
            assertConflict("EMAIL_TAKEN", () -> reopened.claim("u-2", "ben", "ada@example.com", Role.ADMIN, HASH));
        }
    }

    private static EventStoreProperties properties(String uri, Path dataDir, EmbeddedBackend backend) {
        return new EventStoreProperties(uri, "credentials_test", dataDir.toString(), backend, Duration.ofSeconds(10),
                                        1000, Duration.ofMillis(20), 50, 0, ORPHAN_AFTER);
    }
}
