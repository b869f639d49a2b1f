package org.mcpplatform.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The small key-value surface the read models cache through: Redis when {@code REDIS_URL} is set, an in-process
 * store otherwise. A cache is an optimisation, so no method throws when the store is unreachable: reads miss, writes
 * are dropped, and callers go to the database.
 */
public interface CacheStore extends AutoCloseable {

    Optional<String> get(String key);

    /** Stores unless the key holds a value already (readers filling a miss must not overwrite fresher writes). */
    void putIfAbsent(String key, String value, Duration ttl);

    /** Stores, replacing any value (the projection writing what it just committed); false if the store failed. */
    boolean putAll(Map<String, String> values, Duration ttl);

    /** Increments a counter, returning the new value, or empty when the store is unreachable. */
    Optional<Long> increment(String key);

    /** Removes the keys; false if the store failed. */
    boolean removeAll(Collection<String> keys);

    /** Removes every key beginning with {@code prefix}. */
    void removeByPrefix(String prefix);

    /** Whether the store is being used (it answered recently). */
    boolean available();

    /** Asks the store directly whether it answers now (health checks; bypasses the circuit breaker). */
    boolean ping();

    /** Where the cache lives, for health output: {@code redis} or {@code in-process}. */
    String kind();

    @Override
    default void close() {
    }
}
