package org.mcpplatform.identity;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.identity.UserAccounts.Account;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.identity.UserAccounts.await;
import static org.mcpplatform.identity.UserAccounts.now;
import static org.mcpplatform.identity.UserAccounts.unique;

/**
 * The identity read model, fed with UserAccount events through the real event store and read through the query
 * gateway: every field of every view, at the times of the events that made it, and the same tables after a rebuild.
 */
@PlatformTest
class UserProjectionTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @Autowired
    EventStore eventStore;
    @Autowired
    QueryGateway queryGateway;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    EventStorageEngine storageEngine;
    @Autowired
    JdbcTemplate jdbc;

    private UserAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new UserAccounts(eventStore, queryGateway);
    }

    private UserView registered(Account account, String username, String email, Role role, Instant at)
            throws InterruptedException {
        accounts.publish(account.event(new UserRegistered(account.id, username, email, role), at));
        return await(() -> accounts.user(account.id), Objects::nonNull, "user " + account.id + " is projected");
    }

    @Test
    void aRegisteredUserIsFoundByIdAndByItsUsernameInAnyCase() throws Exception {
        Account account = new Account();
        String username = unique("Ada_Lovelace");
        String email = unique("Ada.Lovelace") + "@Example.com";
        Instant at = now();

        UserView user = registered(account, username, email, Role.DEVELOPER, at);

        UserView expected = new UserView(account.id, username, email, Role.DEVELOPER, true, at, at);
        assertThat(user).isEqualTo(expected);
        assertThat(accounts.userNamed(username)).isEqualTo(expected);
        assertThat(accounts.userNamed(username.toUpperCase(Locale.ROOT))).isEqualTo(expected);
        assertThat(accounts.userNamed(username.toLowerCase(Locale.ROOT))).isEqualTo(expected);
        assertThat(accounts.userNamed(unique("nobody"))).isNull();
        assertThat(accounts.user(UUID.randomUUID().toString())).isNull();
        assertThat(accounts.keysOf(account.id)).isEmpty();
    }

    @Test
    void aRoleChangeAndADeactivationChangeTheUserAtTheTimesOfTheirEvents() throws Exception {
        Account account = new Account();
        String username = unique("grace");
        String email = username + "@example.com";
        Instant registeredAt = now().minusSeconds(60);
        registered(account, username, email, Role.VIEWER, registeredAt);

        Instant promotedAt = registeredAt.plusSeconds(10);
        accounts.publish(account.event(new RoleChanged(account.id, Role.VIEWER, Role.ADMIN), promotedAt));
        UserView promoted = await(() -> accounts.user(account.id), user -> user.role() == Role.ADMIN,
                                  "the role change is projected");
        assertThat(promoted).isEqualTo(new UserView(account.id, username, email, Role.ADMIN, true, registeredAt,
                                                    promotedAt));

        Instant deactivatedAt = promotedAt.plusMillis(1);
        accounts.publish(account.event(new UserDeactivated(account.id), deactivatedAt));
        UserView deactivated = await(() -> accounts.user(account.id), user -> !user.active(),
                                     "the deactivation is projected");
        UserView expected = new UserView(account.id, username, email, Role.ADMIN, false, registeredAt, deactivatedAt);
        assertThat(deactivated).isEqualTo(expected);
        assertThat(accounts.userNamed(username)).as("a deactivated user is still found").isEqualTo(expected);
    }

    @Test
    void apiKeysAreListedNewestFirstRevokedOnesIncludedAndFoundById() throws Exception {
        Account account = new Account();
        String username = unique("linus");
        Instant registeredAt = now().minusSeconds(60);
        registered(account, username, username + "@example.com", Role.DEVELOPER, registeredAt);

        String firstId = UUID.randomUUID().toString();
        String secondId = UUID.randomUUID().toString();
        Instant firstAt = registeredAt.plusSeconds(1);
        Instant secondAt = registeredAt.plusSeconds(2);
        Instant expiresAt = firstAt.plus(Duration.ofDays(90));
        accounts.publish(account.event(new ApiKeyIssued(account.id, firstId, "ci", "mcp_ab12", expiresAt), firstAt));
        accounts.publish(account.event(new ApiKeyIssued(account.id, secondId, "laptop", "mcp_cd34", null), secondAt));
        ApiKeyView first = new ApiKeyView(firstId, account.id, "ci", "mcp_ab12", expiresAt, firstAt, null);
        ApiKeyView second = new ApiKeyView(secondId, account.id, "laptop", "mcp_cd34", null, secondAt, null);
        assertThat(await(() -> accounts.keysOf(account.id), keys -> keys.size() == 2, "both keys are projected"))
                .containsExactly(second, first);
        assertThat(accounts.key(firstId)).isEqualTo(first);
        assertThat(accounts.key(secondId)).isEqualTo(second);

        Instant revokedAt = secondAt.plusSeconds(1);
        accounts.publish(account.event(new ApiKeyRevoked(account.id, firstId), revokedAt));
        ApiKeyView revoked = new ApiKeyView(firstId, account.id, "ci", "mcp_ab12", expiresAt, firstAt, revokedAt);
        assertThat(await(() -> accounts.key(firstId), key -> key.revokedAt() != null, "the revocation is projected"))
                .isEqualTo(revoked);
        assertThat(accounts.keysOf(account.id)).containsExactly(second, revoked);

        assertThat(accounts.user(account.id).updatedAt()).as("keys are not changes of the user row")
                                                         .isEqualTo(registeredAt);
        assertThat(accounts.key(UUID.randomUUID().toString())).isNull();
        assertThat(accounts.keysOf(UUID.randomUUID().toString())).isEmpty();
    }

    /** Events that arrive in one batch are staged together and written once, each user's in order. */
    @Test
    void aWholeAccountLifeAppendedAtOnceEndsInItsLastState() throws Exception {
        Account account = new Account();
        Account other = new Account();
        String username = unique("Margaret");
        String otherName = unique("katherine");
        String keptId = UUID.randomUUID().toString();
        String revokedId = UUID.randomUUID().toString();
        Instant t = now().minusSeconds(60);

        accounts.publish(
                account.event(new UserRegistered(account.id, username, username + "@example.com", Role.VIEWER), t),
                account.event(new ApiKeyIssued(account.id, revokedId, "old", "mcp_0001", t.plusSeconds(5)),
                              t.plusMillis(1)),
                account.event(new RoleChanged(account.id, Role.VIEWER, Role.DEVELOPER), t.plusMillis(2)),
                account.event(new ApiKeyIssued(account.id, keptId, "new", "mcp_0002", null), t.plusMillis(3)),
                account.event(new ApiKeyRevoked(account.id, revokedId), t.plusMillis(4)),
                account.event(new RoleChanged(account.id, Role.DEVELOPER, Role.ADMIN), t.plusMillis(5)),
                other.event(new UserRegistered(other.id, otherName, otherName + "@example.com", Role.VIEWER),
                            t.plusMillis(6)),
                account.event(new UserDeactivated(account.id), t.plusMillis(7)),
                other.event(new RoleChanged(other.id, Role.VIEWER, Role.DEVELOPER), t.plusMillis(8)));

        await(() -> accounts.user(other.id), user -> user != null && user.role() == Role.DEVELOPER,
              "the batch is projected");
        assertThat(accounts.user(account.id)).isEqualTo(new UserView(
                account.id, username, username + "@example.com", Role.ADMIN, false, t, t.plusMillis(7)));
        assertThat(accounts.userNamed(otherName)).isEqualTo(new UserView(
                other.id, otherName, otherName + "@example.com", Role.DEVELOPER, true, t.plusMillis(6),
                t.plusMillis(8)));
        assertThat(accounts.keysOf(account.id)).containsExactly(
                new ApiKeyView(keptId, account.id, "new", "mcp_0002", null, t.plusMillis(3), null),
                new ApiKeyView(revokedId, account.id, "old", "mcp_0001", t.plusSeconds(5), t.plusMillis(1),
                               t.plusMillis(4)));
        assertThat(accounts.keysOf(other.id)).isEmpty();
    }

    /**
     * Resetting the processor empties the tables (a stray row in each must go) and the replay writes them back row for
     * row. Only the user projection's tables are compared, and only its processor is reset, so this runs in the
     * shared application.
     */
    @Test
    void resettingTheProjectionRebuildsTheSameTables() throws Exception {
        Account account = new Account();
        String username = unique("replayed");
        Instant t = now().minusSeconds(60);
        String keyId = UUID.randomUUID().toString();
        accounts.publish(
                account.event(new UserRegistered(account.id, username, username + "@example.com", Role.VIEWER), t),
                account.event(new ApiKeyIssued(account.id, keyId, "k", "mcp_9999", null), t.plusMillis(1)));
        accounts.publish(account.event(new RoleChanged(account.id, Role.VIEWER, Role.ADMIN), t.plusMillis(2)));
        accounts.publish(account.event(new ApiKeyRevoked(account.id, keyId), t.plusMillis(3)));
        accounts.publish(account.event(new UserDeactivated(account.id), t.plusMillis(4)));
        await(() -> accounts.user(account.id), user -> user != null && !user.active(), "the account is projected");
        await(() -> accounts.key(keyId), key -> key != null && key.revokedAt() != null, "the key is projected");

        List<Map<String, Object>> usersBefore = users();
        List<Map<String, Object>> keysBefore = keys();
        jdbc.update("INSERT INTO users (id, username, username_key, email, email_key, role, is_active, created_at,"
                            + " updated_at) VALUES ('ffffffff-ffff-4fff-8fff-ffffffffffff', 'stray', 'stray',"
                            + " 'stray@example.com', 'stray@example.com', 'viewer', TRUE, CURRENT_TIMESTAMP,"
                            + " CURRENT_TIMESTAMP)");
        jdbc.update("INSERT INTO api_keys (id, user_id, name, prefix, created_at) VALUES"
                            + " ('ffffffff-ffff-4fff-8fff-ffffffffffff', 'ffffffff-ffff-4fff-8fff-ffffffffffff',"
                            + " 'stray', 'stray', CURRENT_TIMESTAMP)");

        TrackingEventProcessor processor =
                processing.eventProcessor(UserProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        long head = storageEngine.createHeadToken().position().orElseThrow();
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (!caughtUp(processor, head) || !users().equals(usersBefore) || !keys().equals(keysBefore)) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(caughtUp(processor, head)).as("the processor reached position %d: %s", head,
                                                 processor.processingStatus()).isTrue();
        assertThat(users()).isEqualTo(usersBefore);
        assertThat(keys()).isEqualTo(keysBefore);

        // and the rebuilt projection goes on with new events
        accounts.publish(account.event(new ApiKeyIssued(account.id, UUID.randomUUID().toString(), "later", "mcp_1",
                                                        null), t.plusMillis(5)));
        await(() -> accounts.keysOf(account.id), keys -> keys.size() == 2, "an event after the replay is projected");
    }

    private List<Map<String, Object>> users() {
        return jdbc.queryForList("SELECT * FROM users ORDER BY id");
    }

    private List<Map<String, Object>> keys() {
        return jdbc.queryForList("SELECT * FROM api_keys ORDER BY id");
    }

    private static boolean caughtUp(TrackingEventProcessor processor, long head) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        return !status.isEmpty() && status.values().stream().allMatch(
                segment -> !segment.isErrorState() && segment.getCurrentPosition().orElse(-1) >= head);
    }
}
