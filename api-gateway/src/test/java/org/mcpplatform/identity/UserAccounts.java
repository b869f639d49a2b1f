package org.mcpplatform.identity;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes user account events straight into the platform's event store, numbered and stamped as the UserAccount
 * aggregate stores them (the projection must not depend on the command side), and asks the identity read model
 * through the query gateway until it answers.
 */
final class UserAccounts {

    static final String AGGREGATE_TYPE = "UserAccount";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final EventStore eventStore;
    private final QueryGateway queries;

    UserAccounts(EventStore eventStore, QueryGateway queries) {
        this.eventStore = eventStore;
        this.queries = queries;
    }

    /** Event times with the precision the event store keeps (milliseconds). */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static String unique(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** One account's stream of events: sequence numbers from 0, as the aggregate would give them. */
    static final class Account {

        final String id = UUID.randomUUID().toString();
        private long nextSequence;

        DomainEventMessage<?> event(UserEvent payload, Instant at) {
            assertThat(payload.userId()).isEqualTo(id);
            return new GenericDomainEventMessage<>(AGGREGATE_TYPE, id, nextSequence++, payload, Map.of(),
                                                   UUID.randomUUID().toString(), at);
        }
    }

    /** Appends the events in one unit of work, as one command's events are appended. */
    void publish(DomainEventMessage<?>... events) {
        eventStore.publish(List.of(events));
    }

    UserView user(String userId) {
        return queries.query(new FindUserById(userId), UserView.class).join();
    }

    UserView userNamed(String username) {
        return queries.query(new FindUserByUsername(username), UserView.class).join();
    }

    ApiKeyView key(String keyId) {
        return queries.query(new FindApiKey(keyId), ApiKeyView.class).join();
    }

    List<ApiKeyView> keysOf(String userId) {
        return queries.query(new ListApiKeys(userId), ApiKeyList.class).join().keys();
    }

    /** Asks until the answer satisfies {@code until}, for a bounded time; returns that answer. */
    static <R> R await(Supplier<R> ask, Predicate<? super R> until, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        R answer = ask.get();
        while (!until.test(answer)) {
            assertThat(System.nanoTime()).as("%s; last answer: %s", what, answer).isLessThan(deadline);
            Thread.sleep(20);
            answer = ask.get();
        }
        return answer;
    }
}
