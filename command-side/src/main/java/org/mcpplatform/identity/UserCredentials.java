package org.mcpplatform.identity;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.mcpplatform.common.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Updates.set;

/**
 * The accounts' secrets and the authentication directory: one document per account holding its password hash, role
 * and active flag, which never enter an event. The API reads it on every login and request, so it is written in the
 * command's unit of work (immediately visible on every node), not by a projection that may lag.
 * <p>
 * It is also the set-based validation of usernames and emails: their lower-cased forms carry unique indexes, so of
 * several concurrent registrations of one name exactly one insert wins. The claim and the account's first event are
 * two writes without a transaction: {@link UserRegistration} releases the claim when its unit of work rolls back, and a
 * claim left by a crash between the two writes (its account has no events) is taken over by the next registration
 * that collides with it once it is older than {@code orphanAfter}, as {@code SlugClaims} does for slugs.
 */
public class UserCredentials {

    private static final Logger log = LoggerFactory.getLogger(UserCredentials.class);

    static final String USERNAME = "username";
    static final String USERNAME_KEY = "usernameKey";
    static final String EMAIL_KEY = "emailKey";
    static final String PASSWORD_HASH = "passwordHash";
    static final String ROLE = "role";
    static final String ACTIVE = "active";
    static final String CLAIMED_AT = "claimedAt";
    /** Orphans are deleted between attempts; more than a few rounds means something keeps racing us. */
    private static final int MAX_CLAIM_ATTEMPTS = 3;

    private final MongoCollection<Document> credentials;
    private final EventStore eventStore;
    private final Duration orphanAfter;
    private final Clock clock;

    public UserCredentials(MongoCollection<Document> credentials, EventStore eventStore, Duration orphanAfter,
                           Clock clock) {
        this.credentials = credentials;
        this.eventStore = eventStore;
        this.orphanAfter = orphanAfter;
        this.clock = clock;
        // before the first claim: uniqueness rests on these indexes (creating an existing one changes nothing)
        credentials.createIndex(Indexes.ascending(USERNAME_KEY),
                                new IndexOptions().unique(true).name(USERNAME_KEY + "_unique"));
        credentials.createIndex(Indexes.ascending(EMAIL_KEY),
                                new IndexOptions().unique(true).name(EMAIL_KEY + "_unique"));
    }

    /**
     * Records a new account's credentials, or throws a 409-mapped conflict: {@code USERNAME_TAKEN} or
     * {@code EMAIL_TAKEN} when another account holds the name or the email (case-insensitively), {@code CONFLICT} when
     * the user id exists.
     */
    public void claim(String userId, String username, String email, Role role, String passwordHash) {
        String usernameKey = key(username);
        String emailKey = key(email);
        Document claim = new Document("_id", userId)
                .append(USERNAME, username)
                .append(USERNAME_KEY, usernameKey)
                .append(EMAIL_KEY, emailKey)
                .append(PASSWORD_HASH, passwordHash)
                .append(ROLE, role.value())
                .append(ACTIVE, true);
        for (int attempt = 1; ; attempt++) {
            if (tryInsert(claim.append(CLAIMED_AT, clock.millis()))) {
                return;
            }
            // the error names the violated index only in the server's message text, so ask who holds what instead
            List<Document> holders = credentials.find(or(eq("_id", userId), eq(USERNAME_KEY, usernameKey),
                                                         eq(EMAIL_KEY, emailKey)))
                                                .into(new ArrayList<>());
            List<Document> live = holders.stream().filter(holder -> !isOrphan(holder)).toList();
            if (!live.isEmpty()) {
                throw conflict(live, userId, username, usernameKey, emailKey);
            }
            if (attempt == MAX_CLAIM_ATTEMPTS) {
                throw new ConflictException("CONFLICT", "Other registrations of this username or email kept "
                        + "interfering; try again");
            }
            // empty: the holders rolled back since our insert; otherwise every holder is a crashed registration
            for (Document orphan : holders) {
                log.warn("Taking over the credentials of user {} left without events (a registration that did not "
                                 + "finish)", orphan.getString("_id"));
                credentials.deleteOne(and(eq("_id", orphan.get("_id")), eq(CLAIMED_AT, orphan.get(CLAIMED_AT))));
            }
        }
    }

    /** Deletes the credentials again (used when the registration rolls back). */
    public void release(String userId) {
        credentials.deleteOne(eq("_id", userId));
    }

    /** The account with this username, compared case-insensitively. */
    public Optional<UserCredential> findByUsername(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(credentials.find(eq(USERNAME_KEY, key(username))).first())
                       .map(UserCredentials::credential);
    }

    public Optional<UserCredential> findById(String userId) {
        if (userId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(credentials.find(eq("_id", userId)).first()).map(UserCredentials::credential);
    }

    /** How many accounts exist (zero before the first one is created). */
    public long count() {
        return credentials.countDocuments();
    }

    public void setRole(String userId, Role role) {
        credentials.updateOne(eq("_id", userId), set(ROLE, role.value()));
    }

    public void setActive(String userId, boolean active) {
        credentials.updateOne(eq("_id", userId), set(ACTIVE, active));
    }

    private boolean tryInsert(Document claim) {
        try {
            credentials.insertOne(claim);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Old enough that no registration can still be between its two writes, and its account has no events. A
     * document without {@code claimedAt} was not written by {@link #claim}; it is never an orphan.
     */
    private boolean isOrphan(Document holder) {
        Long claimedAt = holder.getLong(CLAIMED_AT);
        return claimedAt != null
                && clock.millis() - claimedAt > orphanAfter.toMillis()
                && eventStore.lastSequenceNumberFor(holder.getString("_id")).isEmpty();
    }

    private static ConflictException conflict(List<Document> holders, String userId, String username,
                                              String usernameKey, String emailKey) {
        if (holders.stream().anyMatch(holder -> usernameKey.equals(holder.getString(USERNAME_KEY)))) {
            return new ConflictException("USERNAME_TAKEN", "A user with this username already exists: '"
                    + username + "' (usernames are compared ignoring case)");
        }
        if (holders.stream().anyMatch(holder -> emailKey.equals(holder.getString(EMAIL_KEY))
                && !userId.equals(holder.getString("_id")))) {
            return new ConflictException("EMAIL_TAKEN", "A user with this email already exists");
        }
        return new ConflictException("CONFLICT", "A user with id '" + userId + "' already exists");
    }

    private static UserCredential credential(Document document) {
        return new UserCredential(document.getString("_id"), document.getString(USERNAME),
                                  document.getString(PASSWORD_HASH), Role.fromValue(document.getString(ROLE)),
                                  document.getBoolean(ACTIVE, false));
    }

    static String key(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
