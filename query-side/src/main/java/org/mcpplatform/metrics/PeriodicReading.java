package org.mcpplatform.metrics;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value read from a store at most once per {@code refresh}, however often it is asked for: what a gauge shows while
 * Prometheus servers scrape every node every few seconds. Concurrent askers wait for one read. A failed read is kept
 * (as empty) for the same time, so a store that is down costs one failed read per interval, not one per gauge and
 * scrape.
 *
 * @param <T> what is read
 */
public final class PeriodicReading<T> {

    private static final Logger log = LoggerFactory.getLogger(PeriodicReading.class);

    private final LoadingCache<Boolean, Optional<T>> latest;

    /**
     * @param what names the value in the warning logged when it cannot be read
     */
    public PeriodicReading(Duration refresh, Supplier<T> read, String what) {
        this.latest = Caffeine.newBuilder()
                              .expireAfterWrite(refresh)
                              .build(key -> attempt(read, what));
    }

    /** The value read last, or empty when that read failed. */
    public Optional<T> get() {
        return latest.get(Boolean.TRUE);
    }

    private static <T> Optional<T> attempt(Supplier<T> read, String what) {
        try {
            return Optional.of(read.get());
        } catch (RuntimeException e) {
            log.warn("cannot read {} for /metrics: {}", what, e.toString());
            return Optional.empty();
        }
    }
}
