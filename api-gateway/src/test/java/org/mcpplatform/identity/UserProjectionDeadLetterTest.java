package org.mcpplatform.identity;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.mcpplatform.identity.UserAccounts.Account;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.identity.UserAccounts.await;
import static org.mcpplatform.identity.UserAccounts.now;
import static org.mcpplatform.identity.UserAccounts.unique;

/**
 * A handler of the user projection's processing group that throws does not make the projection skip the event: the
 * event is parked with the user's later events behind it, none of them reaches the tables (though the projection had
 * already staged the failing one), other users go on being projected, and once the cause is gone the parked events
 * are applied in order.
 * <p>
 * The failing handler is a test handler in the projection's processing group; it gives this class an application
 * context of its own.
 */
@PlatformTest
class UserProjectionDeadLetterTest {

    private static final String POISON = "handler fails on this key name";
    private static final AtomicBoolean FAILING = new AtomicBoolean(true);

    @TestConfiguration
    static class FailingHandlerConfiguration {
        @Bean
        FailingHandler failingUserHandler() {
            return new FailingHandler();
        }
    }

    @ProcessingGroup(UserProjection.PROCESSING_GROUP)
    static class FailingHandler {
        @EventHandler
        void on(ApiKeyIssued event) {
            if (FAILING.get() && POISON.equals(event.name())) {
                throw new IllegalStateException("simulated projection failure");
            }
        }
    }

    @Autowired
    EventStore eventStore;
    @Autowired
    QueryGateway queryGateway;
    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void aFailingEventIsParkedWithItsUsersLaterEventsAndAppliedInOrderOnceTheCauseIsGone() throws Exception {
        UserAccounts accounts = new UserAccounts(eventStore, queryGateway);
        Account poisoned = new Account();
        Account healthy = new Account();
        String poisonedName = unique("poisoned");
        String healthyName = unique("healthy");
        String keyId = UUID.randomUUID().toString();
        Instant t = now().minusSeconds(60);
        accounts.publish(poisoned.event(new UserRegistered(poisoned.id, poisonedName, poisonedName + "@example.com",
                                                           Role.VIEWER), t));
        await(() -> accounts.user(poisoned.id), Objects::nonNull, "the registration is projected");

        // one append, one batch: the projection (registered before the test handler) stages the key, then the test
        // handler fails on it
        accounts.publish(poisoned.event(new ApiKeyIssued(poisoned.id, keyId, POISON, "mcp_bad", null), t.plusMillis(1)),
                         poisoned.event(new RoleChanged(poisoned.id, Role.VIEWER, Role.ADMIN), t.plusMillis(2)),
                         healthy.event(new UserRegistered(healthy.id, healthyName, healthyName + "@example.com",
                                                          Role.DEVELOPER), t.plusMillis(3)));

        await(() -> accounts.user(healthy.id), Objects::nonNull, "the other user is projected");
        SequencedDeadLetterQueue<EventMessage<?>> queue =
                processing.deadLetterQueue(UserProjection.PROCESSING_GROUP).orElseThrow();
        await(() -> queue.size(), size -> size == 2, "both events of the user are parked");
        List<Object> parked = new ArrayList<>();
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            sequence.forEach(letter -> parked.add(letter.message().getPayload()));
        }
        assertThat(parked).containsExactly(new ApiKeyIssued(poisoned.id, keyId, POISON, "mcp_bad", null),
                                           new RoleChanged(poisoned.id, Role.VIEWER, Role.ADMIN));
        assertThat(accounts.key(keyId)).as("the parked key is not in the read model").isNull();
        assertThat(accounts.user(poisoned.id).role()).isEqualTo(Role.VIEWER);

        FAILING.set(false);
        assertThat(processing.sequencedDeadLetterProcessor(UserProjection.PROCESSING_GROUP).orElseThrow()
                             .processAny()).isTrue();

        assertThat(queue.size()).isZero();
        assertThat(accounts.key(keyId)).isEqualTo(new ApiKeyView(keyId, poisoned.id, POISON, "mcp_bad", null,
                                                                 t.plusMillis(1), null));
        assertThat(accounts.user(poisoned.id)).isEqualTo(new UserView(
                poisoned.id, poisonedName, poisonedName + "@example.com", Role.ADMIN, true, t, t.plusMillis(2)));
    }
}
