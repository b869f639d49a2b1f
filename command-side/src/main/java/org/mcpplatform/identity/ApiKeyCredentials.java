package org.mcpplatform.identity;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;
import org.mcpplatform.common.ConflictException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Projections.include;
import static com.mongodb.client.model.Updates.max;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;

/**
 * API keys as authentication sees them: one document per key with the hash of its secret, which never enters an
 * event. Written in the command's unit of work, so that a revocation holds on every node at once; the API reads it on
 * every request made with a key, and records the keys' last use here in batches.
 */
public class ApiKeyCredentials {

    static final String USER_ID = "userId";
    static final String SECRET_HASH = "secretHash";
    static final String EXPIRES_AT = "expiresAt";
    static final String REVOKED_AT = "revokedAt";
    static final String LAST_USED_AT = "lastUsedAt";

    private final MongoCollection<Document> keys;

    public ApiKeyCredentials(MongoCollection<Document> keys) {
        this.keys = keys;
    }

    /** Records a new key; a key id that exists already is a 409-mapped conflict. */
    public void store(String keyId, String userId, String secretHash, Instant expiresAt) {
        Document key = new Document("_id", keyId).append(USER_ID, userId).append(SECRET_HASH, secretHash);
        if (expiresAt != null) {
            key.append(EXPIRES_AT, Date.from(expiresAt));
        }
        try {
            keys.insertOne(key);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw new ConflictException("CONFLICT", "An API key with id '" + keyId + "' already exists");
            }
            throw e;
        }
    }

    /** Removes a key (used when its issue rolls back). */
    public void delete(String keyId) {
        keys.deleteOne(eq("_id", keyId));
    }

    public Optional<ApiKeyCredential> find(String keyId) {
        if (keyId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(keys.find(eq("_id", keyId)).first()).map(ApiKeyCredentials::credential);
    }

    /** Makes the key unusable from {@code at}; a key revoked already keeps its first revocation time. */
    public void markRevoked(String keyId, Instant at) {
        keys.updateOne(and(eq("_id", keyId), eq(REVOKED_AT, null)), set(REVOKED_AT, Date.from(at)));
    }

    /** Makes a key usable again (used when its revocation rolls back). */
    public void unmarkRevoked(String keyId) {
        keys.updateOne(eq("_id", keyId), unset(REVOKED_AT));
    }

    /**
     * Records when keys were last used, all in one round trip. {@code $max}: a batch that arrives late (another node,
     * a slow flush) never moves a key's last use back in time. Keys that do not exist are not created.
     */
    public void recordUse(Map<String, Instant> lastUsedByKeyId) {
        if (lastUsedByKeyId.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> updates = new ArrayList<>(lastUsedByKeyId.size());
        lastUsedByKeyId.forEach((keyId, usedAt) -> updates.add(
                new UpdateOneModel<>(eq("_id", keyId), max(LAST_USED_AT, Date.from(usedAt)))));
        keys.bulkWrite(updates, new BulkWriteOptions().ordered(false));
    }

    /** The last recorded use of each of these keys that has one. */
    public Map<String, Instant> lastUsed(Collection<String> keyIds) {
        Map<String, Instant> lastUsed = new HashMap<>();
        if (keyIds.isEmpty()) {
            return lastUsed;
        }
        for (Document key : keys.find(in("_id", keyIds)).projection(include(LAST_USED_AT))) {
            Date usedAt = key.getDate(LAST_USED_AT);
            if (usedAt != null) {
                lastUsed.put(key.getString("_id"), usedAt.toInstant());
            }
        }
        return lastUsed;
    }

    private static ApiKeyCredential credential(Document key) {
        return new ApiKeyCredential(key.getString("_id"), key.getString(USER_ID), key.getString(SECRET_HASH),
                                    instant(key.getDate(EXPIRES_AT)), instant(key.getDate(REVOKED_AT)),
                                    instant(key.getDate(LAST_USED_AT)));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
