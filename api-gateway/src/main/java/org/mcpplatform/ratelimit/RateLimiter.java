package org.mcpplatform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Token buckets by key, each with its {@link Limit}: in Redis when the platform has one, so that every node spends
 * from the same budget, and in this process on the embedded default.
 *
 * <h2>When Redis fails: neither open nor closed</h2>
 * Failing open (no limits while Redis is down) would hand a password-guessing client an unlimited budget exactly
 * when an attacker who can overload Redis wants one; failing closed (429 for everyone) would turn a cache outage
 * into an outage of the whole API. Instead, a Redis command that fails or outlasts the Redis timeout sends that call,
 * and every call for the next {@code retryAfter}, to buckets in this process: limits keep holding, per node rather
 * than across nodes (with N nodes behind a balancer a client gets up to N budgets), and no request waits on a dead
 * Redis for longer than one timeout. After the pause one call tries Redis again (a circuit breaker); when it answers,
 * the buckets in Redis are used again, with the state they had before the outage. Both switches are logged once.
 * <p>
 * Bucket keys in Redis expire once the bucket would be full again (Bucket4j's expiration strategy), so idle callers
 * leave nothing behind. The in-process buckets are a bounded cache, so a flood of distinct client addresses evicts
 * the oldest buckets (those callers start afresh) instead of exhausting memory; a bucket is dropped when it would be
 * full again anyway.
 */
public final class RateLimiter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    /** In-process buckets kept at most: a few tens of MB at worst. */
    private static final long LOCAL_BUCKETS = 100_000;
    /** How long a Redis bucket outlives the moment it would be full again (clock skew between nodes). */
    private static final Duration REDIS_KEY_GRACE = Duration.ofSeconds(10);

    /** The outcome of one request against its bucket. */
    public record Outcome(boolean allowed, long limit, long remaining, Duration retryAfter) {
    }

    private record LocalBucket(Bucket bucket, Limit limit) {
    }

    private final StatefulRedisConnection<String, byte[]> connection;
    private final ProxyManager<String> redis;
    private final String redisPrefix;
    private final CircuitBreaker breaker;
    private final Cache<String, LocalBucket> local;

    private RateLimiter(StatefulRedisConnection<String, byte[]> connection, String redisPrefix, Duration timeout,
                        Duration retryAfter) {
        this.connection = connection;
        this.redisPrefix = redisPrefix;
        this.redis = connection == null ? null
                : Bucket4jLettuce.casBasedBuilder(connection)
                                 .expirationAfterWrite(ExpirationAfterWriteStrategy
                                                               .basedOnTimeForRefillingBucketUpToMax(REDIS_KEY_GRACE))
                                 .requestTimeout(timeout)
                                 .build();
        this.breaker = connection == null ? null : breaker(retryAfter);
        this.local = Caffeine.newBuilder()
                             .maximumSize(LOCAL_BUCKETS)
                             .expireAfter(new Expiry<String, LocalBucket>() {
                                 @Override
                                 public long expireAfterCreate(String key, LocalBucket entry, long now) {
                                     return entry.limit().period().toNanos();
                                 }

                                 @Override
                                 public long expireAfterUpdate(String key, LocalBucket entry, long now,
                                                               long currentDuration) {
                                     return currentDuration;
                                 }

                                 @Override
                                 public long expireAfterRead(String key, LocalBucket entry, long now,
                                                             long currentDuration) {
                                     // read just before a token is taken: keep it until full again after that,
                                     // however deep in debt failed attempts have put it
                                     return untilFull(entry) + entry.limit().period().toNanos();
                                 }
                             })
                             .build();
    }

    /** Buckets in this process only: the embedded default. */
    public static RateLimiter inProcess() {
        return new RateLimiter(null, "", Duration.ZERO, Duration.ZERO);
    }

    /**
     * Buckets in Redis, under {@code keyPrefix}, with the in-process buckets as the fallback described above.
     *
     * @param timeout    longest wait for one Redis command before the call falls back
     * @param retryAfter how long Redis is left alone after a failure
     */
    public static RateLimiter redis(RedisClient client, String keyPrefix, Duration timeout, Duration retryAfter) {
        // Bucket4j stores bucket state as bytes; keys stay readable strings
        StatefulRedisConnection<String, byte[]> connection =
                client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        return new RateLimiter(connection, keyPrefix == null ? "" : keyPrefix, timeout, retryAfter);
    }

    /** Takes one token from the bucket {@code key} if it has one. */
    public Outcome tryConsume(String key, Limit limit) {
        ConsumptionProbe probe = apply(key, limit, bucket -> bucket.tryConsumeAndReturnRemaining(1));
        return new Outcome(probe.isConsumed(), limit.capacity(), Math.max(0, probe.getRemainingTokens()),
                           probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** How long until the bucket {@code key} has a token again; empty when it has one now. Takes nothing. */
    public Optional<Duration> waitFor(String key, Limit limit) {
        EstimationProbe probe = apply(key, limit, bucket -> bucket.estimateAbilityToConsume(1));
        return probe.canBeConsumed()
                ? Optional.empty()
                : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /**
     * Takes one token even from an empty bucket, which then owes it: attempts that raced past a check all count, and
     * a caller who keeps trying while refused waits correspondingly longer.
     */
    public void consumeRegardless(String key, Limit limit) {
        apply(key, limit, bucket -> bucket.consumeIgnoringRateLimits(1));
    }

    /** Fills the bucket {@code key} again. */
    public void reset(String key, Limit limit) {
        apply(key, limit, bucket -> {
            bucket.reset();
            return null;
        });
    }

    /** Whether buckets are in Redis at the moment (false on the embedded default and while Redis is left alone). */
    public boolean usingRedis() {
        return redis != null && breaker.getState() == CircuitBreaker.State.CLOSED;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }

    private <T> T apply(String key, Limit limit, Function<Bucket, T> operation) {
        if (redis != null) {
            try {
                return breaker.executeSupplier(
                        () -> operation.apply(redis.builder().build(redisPrefix + key, limit::configuration)));
            } catch (CallNotPermittedException e) {
                // Redis is being left alone for now
            } catch (RuntimeException e) {
                log.debug("Rate-limit bucket {} not reachable in Redis: {}", key, e.toString());
            }
        }
        return operation.apply(local.get(key, k -> new LocalBucket(Bucket.builder().addLimit(limit.bandwidth()).build(),
                                                                   limit)).bucket());
    }

    private static long untilFull(LocalBucket entry) {
        return entry.bucket().estimateAbilityToConsume(entry.limit().capacity()).getNanosToWaitForRefill();
    }

    private static CircuitBreaker breaker(Duration retryAfter) {
        CircuitBreaker breaker = CircuitBreaker.of("redis-rate-limits", CircuitBreakerConfig.custom()
                // one failure is enough: with a larger window every request would wait out a timeout first
                .slidingWindowSize(1)
                .minimumNumberOfCalls(1)
                .failureRateThreshold(50)
                .waitDurationInOpenState(retryAfter)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            // a failed retry (half-open back to open) is not news: log only leaving and regaining Redis
            switch (event.getStateTransition()) {
                case CLOSED_TO_OPEN -> log.warn("Redis is unreachable; rate limits are kept in this process "
                                                        + "(per node) until it answers again");
                case HALF_OPEN_TO_CLOSED -> log.info("Redis answers again; rate limits are shared across nodes "
                                                             + "again");
                default -> { }
            }
        });
        return breaker;
    }
}
