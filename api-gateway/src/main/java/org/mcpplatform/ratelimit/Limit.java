package org.mcpplatform.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;
import java.util.Objects;

/**
 * A budget of {@code capacity} requests per {@code period}. Spent tokens come back evenly over the period (greedy
 * refill) rather than all at once when a window ends, so a client cannot spend two budgets back to back across a
 * window boundary.
 *
 * @param capacity the most requests allowed in a burst, and per period
 * @param period   how long a spent budget takes to come back in full
 */
public record Limit(long capacity, Duration period) {

    public Limit {
        Objects.requireNonNull(period, "period");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
    }

    public static Limit perMinute(long capacity) {
        return new Limit(capacity, Duration.ofMinutes(1));
    }

    Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build();
    }

    BucketConfiguration configuration() {
        return BucketConfiguration.builder().addLimit(bandwidth()).build();
    }
}
