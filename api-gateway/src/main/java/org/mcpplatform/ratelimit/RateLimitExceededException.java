package org.mcpplatform.ratelimit;

import java.time.Duration;

/**
 * A request refused by a rate limit or a failure budget. Thrown from a controller it becomes a 429 with
 * Retry-After (see {@link TooManyRequests}); a servlet filter writes it with {@link TooManyRequests#write}.
 */
public class RateLimitExceededException extends RuntimeException {

    private final long limit;
    private final Duration retryAfter;

    public RateLimitExceededException(long limit, Duration retryAfter) {
        // refusals are routine under attack: no stack trace to fill in for each
        super("Too many requests; retry after " + wholeSeconds(retryAfter) + " s", null, false, false);
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    /** The budget that was used up, as X-RateLimit-Limit reports it. */
    public long limit() {
        return limit;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Retry-After in whole seconds, rounded up and at least 1, so a client that obeys it is not refused again. */
    public long retryAfterSeconds() {
        return wholeSeconds(retryAfter);
    }

    private static long wholeSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
