package org.mcpplatform.ratelimit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.PlatformTest;
import org.quicktheories.core.Gen;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * The limiter that the request filter uses, against the real Redis (the platform's bean) and in process (the
 * embedded default): a budget of {@code limit} requests per minute lets exactly {@code limit} through, then refuses.
 */
@PlatformTest
class RateLimitPropertiesTest {

    private static final RateLimiter IN_PROCESS = RateLimiter.inProcess();

    @Autowired
    RateLimiter redisBacked;

    @AfterAll
    static void close() {
        IN_PROCESS.close();
    }

    /** A principal as the filter keys it: a user id, or a client address for anonymous callers. */
    static Gen<String> principals() {
        return integers().between(0, 1).zip(strings().basicLatinAlphabet().ofLengthBetween(1, 40),
                                           (kind, name) -> (kind == 0 ? "user:" : "ip:") + name);
    }

    // Property 39: Rate Limit Enforcement — for any user, when the rate limit is exceeded for an endpoint, subsequent requests return HTTP 429
    @Test
    void inRedisTheFirstLimitRequestsPassAndTheNextAreRefusedPerPrincipalAndEndpointClass() {
        assertThat(redisBacked.usingRedis()).isTrue();
        enforcesLimits(redisBacked);
    }

    // Property 39: Rate Limit Enforcement — for any user, when the rate limit is exceeded for an endpoint, subsequent requests return HTTP 429
    @Test
    void inProcessTheFirstLimitRequestsPassAndTheNextAreRefusedPerPrincipalAndEndpointClass() {
        enforcesLimits(IN_PROCESS);
    }

    private static void enforcesLimits(RateLimiter limiter) {
        // at most 60 a minute: a token comes back after a second at the soonest, far longer than a run of requests
        qt().withExamples(100).withShrinkCycles(20)
            .forAll(integers().between(1, 60), principals(), principals(), arbitrary().enumValues(EndpointClass.class))
            .assuming((limit, principal, other, endpointClass) -> !principal.equals(other))
            .checkAssert((perMinute, principal, other, endpointClass) -> {
                // a fresh run of the same example (shrinking) must not find the buckets already spent
                String run = ":" + UUID.randomUUID();
                Limit limit = Limit.perMinute(perMinute);
                String key = RateLimitFilter.bucketKey(principal + run, endpointClass);

                for (int i = 1; i <= perMinute; i++) {
                    RateLimiter.Outcome outcome = limiter.tryConsume(key, limit);
                    assertThat(outcome.allowed()).as("request %d of %d", i, perMinute).isTrue();
                    assertThat(outcome.limit()).isEqualTo((long) perMinute);
                    assertThat(outcome.remaining()).isEqualTo((long) perMinute - i);
                }
                for (int i = 1; i <= 3; i++) {
                    RateLimiter.Outcome refused = limiter.tryConsume(key, limit);
                    assertThat(refused.allowed()).as("request %d over the limit", i).isFalse();
                    assertThat(refused.remaining()).isZero();
                    assertThat(refused.retryAfter()).isPositive()
                                                    .isLessThanOrEqualTo(Duration.ofMinutes(1).dividedBy(perMinute));
                    assertThat(new RateLimitExceededException(perMinute, refused.retryAfter()).retryAfterSeconds())
                            .isBetween(1L, (long) Math.ceil(60.0 / perMinute));
                }

                // another principal, and the same principal on another class of endpoint, have budgets of their own
                String otherKey = RateLimitFilter.bucketKey(other + run, endpointClass);
                for (int i = 1; i <= perMinute; i++) {
                    assertThat(limiter.tryConsume(otherKey, limit).allowed()).isTrue();
                }
                EndpointClass otherClass = EndpointClass.values()[(endpointClass.ordinal() + 1)
                        % EndpointClass.values().length];
                assertThat(limiter.tryConsume(RateLimitFilter.bucketKey(principal + run, otherClass), limit)
                                  .allowed()).isTrue();
                assertThat(limiter.tryConsume(key, limit).allowed()).isFalse();
            });
    }
}
