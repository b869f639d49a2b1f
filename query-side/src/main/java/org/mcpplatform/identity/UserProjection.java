package org.mcpplatform.identity;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.mcpplatform.projection.ParkedEvents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Projects user account events into the users and api_keys tables. The only writer of both.
 * <p>
 * As in the tool projection, the handlers only stage what each event changes; the rows are written when the
 * processor's batch commits, in the transaction that also stores its token, leaving out the events the processing
 * group parked in its dead-letter queue. The handlers touch no database themselves, so an exception from one is about
 * that event alone, and a database that fails fails the whole batch, which is then retried rather than parked.
 * <p>
 * Replaying an event writes the same rows again: registrations and issued keys replace their row whole, later events
 * set columns to values taken from the event alone.
 */
@ProcessingGroup(UserProjection.PROCESSING_GROUP)
public class UserProjection {

    public static final String PROCESSING_GROUP = "user-projection";
    private static final String BATCH_RESOURCE = UserProjection.class.getName() + ".batch";

    private final UserReadRepository repository;

    public UserProjection(UserReadRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(UserRegistered event, @Timestamp Instant at) {
        batch().stage(event, rows -> rows.users.put(event.userId(), UserRow.registered(
                event.userId(), event.username(), event.email(), event.role(), at)));
    }

    @EventHandler
    void on(RoleChanged event, @Timestamp Instant at) {
        batch().stage(event, rows -> {
            UserRow row = rows.user(event.userId());
            row.role = event.role();
            row.updatedAt = at;
        });
    }

    @EventHandler
    void on(UserDeactivated event, @Timestamp Instant at) {
        batch().stage(event, rows -> {
            UserRow row = rows.user(event.userId());
            row.active = false;
            row.updatedAt = at;
        });
    }

    @EventHandler
    void on(ApiKeyIssued event, @Timestamp Instant at) {
        batch().stage(event, rows -> rows.keys.put(event.keyId(), ApiKeyRow.issued(
                event.keyId(), event.userId(), event.name(), event.prefix(), event.expiresAt(), at)));
    }

    @EventHandler
    void on(ApiKeyRevoked event, @Timestamp Instant at) {
        batch().stage(event, rows -> rows.key(event.keyId(), event.userId()).revokedAt = at);
    }

    /** Before a replay: the read model is rebuilt from the first event, so everything it holds goes. */
    @ResetHandler
    void reset() {
        repository.deleteAll();
    }

    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.root().getOrComputeResource(BATCH_RESOURCE, key -> {
            Batch created = new Batch();
            unitOfWork.root().onPrepareCommit(u -> created.write());
            return created;
        });
    }

    /** The rows one batch of events writes, in the order first touched. */
    private static final class Rows {

        final Map<String, UserRow> users = new LinkedHashMap<>();
        final Map<String, ApiKeyRow> keys = new LinkedHashMap<>();

        UserRow user(String userId) {
            return users.computeIfAbsent(userId, UserRow::changed);
        }

        ApiKeyRow key(String keyId, String userId) {
            return keys.computeIfAbsent(keyId, id -> ApiKeyRow.changed(id, userId));
        }
    }

    /** What one batch of events changes, staged per event and applied in order when the batch commits. */
    private final class Batch {

        private record Staged(String eventId, String userId, Consumer<Rows> change) {
        }

        private final List<Staged> staged = new ArrayList<>();

        void stage(UserEvent event, Consumer<Rows> change) {
            staged.add(new Staged(CurrentUnitOfWork.get().getMessage().getIdentifier(), event.userId(), change));
        }

        void write() {
            Set<String> parked = ParkedEvents.parkedIn(CurrentUnitOfWork.get());
            Set<String> blocked = new HashSet<>();
            Rows rows = new Rows();
            for (Staged change : staged) {
                if (parked.contains(change.eventId())) {
                    blocked.add(change.userId()); // the user's later events are parked behind it
                }
                if (!blocked.contains(change.userId())) {
                    change.change().accept(rows);
                }
            }
            List<UserRow> registered = new ArrayList<>();
            List<UserRow> changed = new ArrayList<>();
            rows.users.values().forEach(row -> (row.registered ? registered : changed).add(row));
            List<ApiKeyRow> issued = new ArrayList<>();
            List<ApiKeyRow> revoked = new ArrayList<>();
            rows.keys.values().forEach(row -> (row.issued ? issued : revoked).add(row));

            repository.replaceUsers(registered);
            List<String> missingUsers = repository.updateUsers(changed);
            if (!missingUsers.isEmpty()) {
                throw missing("users has no row for user(s) " + missingUsers);
            }
            repository.replaceKeys(issued);
            List<String> missingKeys = repository.updateKeys(revoked);
            if (!missingKeys.isEmpty()) {
                throw missing("api_keys has no row of the revoking user for key(s) " + missingKeys);
            }
        }

        /**
         * Never skip silently: the read model lost rows it should have. The batch fails and is retried; rebuilding
         * the projection mends the tables.
         */
        private IllegalStateException missing(String what) {
            return new IllegalStateException(what + " while applying their later events; rebuild the "
                                                     + PROCESSING_GROUP + " projection");
        }
    }
}
