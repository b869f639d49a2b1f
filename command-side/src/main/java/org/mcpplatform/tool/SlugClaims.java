package org.mcpplatform.tool;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.mcpplatform.common.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Set-based validation of slugs: one document per slug ever registered, keyed by the slug, so the collection's unique
 * {@code _id} index decides which of several concurrent registrations wins. A claim is never released once its tool's
 * first event is stored, so a deleted tool's slug stays reserved.
 * <p>
 * The claim and the tool's first event are two writes without a transaction (the in-process server has none).
 * {@link ToolRegistration} releases the claim when its unit of work rolls back, so a failed append undoes the claim.
 * A crash between the two writes leaves a claim whose tool has no events: it is healed lazily, when a later
 * registration of that slug finds it older than {@code orphanAfter} (longer than any registration can take) and its
 * tool still without events, and takes it over.
 */
public class SlugClaims {

    private static final Logger log = LoggerFactory.getLogger(SlugClaims.class);
    private static final String TOOL_ID = "toolId";
    private static final String CLAIMED_AT = "claimedAt";

    private final MongoCollection<Document> claims;
    private final EventStore eventStore;
    private final Duration orphanAfter;
    private final Clock clock;

    public SlugClaims(MongoCollection<Document> claims, EventStore eventStore, Duration orphanAfter, Clock clock) {
        this.claims = claims;
        this.eventStore = eventStore;
        this.orphanAfter = orphanAfter;
        this.clock = clock;
    }

    /** Claims {@code slug} for {@code toolId}, or throws a 409-mapped conflict if another tool holds it. */
    public void claim(String slug, String toolId) {
        if (tryInsert(slug, toolId)) {
            return;
        }
        Document existing = claims.find(eq("_id", slug)).first();
        if (existing == null) {
            // released by a registration that rolled back between our insert and our read
            if (tryInsert(slug, toolId)) {
                return;
            }
            throw slugTaken(slug);
        }
        String holder = existing.getString(TOOL_ID);
        long age = clock.millis() - existing.getLong(CLAIMED_AT);
        boolean orphaned = age > orphanAfter.toMillis() && eventStore.lastSequenceNumberFor(holder).isEmpty();
        if (!orphaned) {
            throw slugTaken(slug);
        }
        log.warn("Taking over slug claim '{}' left by tool {} without events (a registration that did not finish)",
                 slug, holder);
        claims.deleteOne(and(eq("_id", slug), eq(TOOL_ID, holder)));
        if (!tryInsert(slug, toolId)) {
            throw slugTaken(slug);
        }
    }

    /** Gives the slug up again, if {@code toolId} still holds it (used when the registration rolls back). */
    public void release(String slug, String toolId) {
        claims.deleteOne(and(eq("_id", slug), eq(TOOL_ID, toolId)));
    }

    private boolean tryInsert(String slug, String toolId) {
        try {
            claims.insertOne(new Document("_id", slug).append(TOOL_ID, toolId).append(CLAIMED_AT, clock.millis()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private static ConflictException slugTaken(String slug) {
        return new ConflictException("SLUG_ALREADY_EXISTS", "An MCP tool with this slug already exists: '" + slug
                + "' (slug already exists; slugs of deleted tools stay reserved)");
    }
}
