package org.mcpplatform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The embedded default's cache: the same semantics as Redis (TTL per entry, put-if-absent), in this process. */
public class LocalCacheStore implements CacheStore {

    private record Entry(String value, long ttlNanos) {
    }

    private final Cache<String, Entry> entries;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public LocalCacheStore(long maximumEntries) {
        this.entries = Caffeine.newBuilder()
                               .maximumSize(maximumEntries)
                               .expireAfter(new Expiry<String, Entry>() {
                                   @Override
                                   public long expireAfterCreate(String key, Entry entry, long currentTime) {
                                       return entry.ttlNanos();
                                   }

                                   @Override
                                   public long expireAfterUpdate(String key, Entry entry, long currentTime,
                                                                 long currentDuration) {
                                       return entry.ttlNanos();
                                   }

                                   @Override
                                   public long expireAfterRead(String key, Entry entry, long currentTime,
                                                               long currentDuration) {
                                       return currentDuration;
                                   }
                               })
                               .build();
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.getIfPresent(key)).map(Entry::value);
    }

    @Override
    public void putIfAbsent(String key, String value, Duration ttl) {
        entries.asMap().putIfAbsent(key, new Entry(value, ttl.toNanos()));
    }

    @Override
    public boolean putAll(Map<String, String> values, Duration ttl) {
        values.forEach((key, value) -> entries.put(key, new Entry(value, ttl.toNanos())));
        return true;
    }

    @Override
    public Optional<Long> increment(String key) {
        return Optional.of(counters.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet());
    }

    @Override
    public boolean removeAll(Collection<String> keys) {
        entries.invalidateAll(keys);
        return true;
    }

    @Override
    public void removeByPrefix(String prefix) {
        entries.asMap().keySet().removeIf(key -> key.startsWith(prefix));
        counters.keySet().removeIf(key -> key.startsWith(prefix));
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public boolean ping() {
        return true;
    }

    @Override
    public String kind() {
        return "in-process";
    }
}
