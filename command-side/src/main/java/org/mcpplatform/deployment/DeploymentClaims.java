package org.mcpplatform.deployment;

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
import java.util.Map;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * One active deployment per tool (and so one per endpoint: a tool's slug is its own forever), kept by a unique key on
 * the tool id in the event store's database. A claim is taken in the unit of work of RequestDeployment and given up
 * when the deployment stops or fails; a claim whose deployment never got an event is an orphan of a request that did
 * not finish, and is taken over after a while.
 */
public class DeploymentClaims {

    private static final Logger log = LoggerFactory.getLogger(DeploymentClaims.class);
    private static final String DEPLOYMENT_ID = "deploymentId";
    private static final String CLAIMED_AT = "claimedAt";

    private final MongoCollection<Document> claims;
    private final EventStore eventStore;
    private final Duration orphanAfter;
    private final Clock clock;

    public DeploymentClaims(MongoCollection<Document> claims, EventStore eventStore, Duration orphanAfter,
                            Clock clock) {
        this.claims = claims;
        this.eventStore = eventStore;
        this.orphanAfter = orphanAfter;
        this.clock = clock;
    }

    /** Claims the tool for {@code deploymentId}, or throws a 409 naming the deployment that holds it. */
    public void claim(String toolId, String deploymentId) {
        if (tryInsert(toolId, deploymentId)) {
            return;
        }
        Document existing = claims.find(eq("_id", toolId)).first();
        if (existing == null) {
            if (tryInsert(toolId, deploymentId)) {
                return;
            }
            throw alreadyDeployed(toolId, null);
        }
        String holder = existing.getString(DEPLOYMENT_ID);
        long age = clock.millis() - existing.getLong(CLAIMED_AT);
        boolean orphaned = age > orphanAfter.toMillis() && eventStore.lastSequenceNumberFor(holder).isEmpty();
        if (!orphaned) {
            throw alreadyDeployed(toolId, holder);
        }
        log.warn("Taking over the deployment claim on tool {} left by deployment {} without events", toolId, holder);
        claims.deleteOne(and(eq("_id", toolId), eq(DEPLOYMENT_ID, holder)));
        if (!tryInsert(toolId, deploymentId)) {
            throw alreadyDeployed(toolId, null);
        }
    }

    /** Gives the tool up, if {@code deploymentId} still holds it. */
    public void release(String toolId, String deploymentId) {
        claims.deleteOne(and(eq("_id", toolId), eq(DEPLOYMENT_ID, deploymentId)));
    }

    private boolean tryInsert(String toolId, String deploymentId) {
        try {
            claims.insertOne(new Document("_id", toolId).append(DEPLOYMENT_ID, deploymentId)
                                                        .append(CLAIMED_AT, clock.millis()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private static ConflictException alreadyDeployed(String toolId, String holder) {
        return new ConflictException("ALREADY_DEPLOYED", "The tool " + toolId + " already has an active deployment"
                + (holder == null ? "" : " (" + holder + "); stop it first"));
    }
}
