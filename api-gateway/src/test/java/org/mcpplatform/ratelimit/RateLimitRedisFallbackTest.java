package org.mcpplatform.ratelimit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.cache.CacheProperties;
import org.mcpplatform.redis.RedisConfiguration;
import org.mcpplatform.support.TcpProxy;
import org.mcpplatform.support.TestServices;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis going away under the limiter, and coming back: the platform's Redis client (same options as in production)
 * reaches Redis through a {@link TcpProxy} that the tests cut and hang.
 */
class RateLimitRedisFallbackTest {

    static final Duration TIMEOUT = Duration.ofMillis(100);
    static final Duration RETRY_AFTER = Duration.ofMillis(500);
    static final Limit FIVE_A_MINUTE = Limit.perMinute(5);

    TcpProxy proxy;
    RedisClient client;
    RateLimiter limiter;
    RedisClient direct;
    StatefulRedisConnection<String, String> redis;
    String prefix;

    @BeforeEach
    void start() {
        proxy = new TcpProxy(TestServices.REDIS_URL, 6379);
        prefix = TestServices.freshRedisPrefix();
        client = new RedisConfiguration().platformRedisClient(
                new CacheProperties(proxy.url(), prefix, TIMEOUT, RETRY_AFTER, Duration.ofMinutes(10),
                                    Duration.ofMinutes(1), Duration.ofSeconds(1)));
        limiter = RateLimiter.redis(client, prefix, TIMEOUT, RETRY_AFTER);
        direct = RedisClient.create(TestServices.REDIS_URL);
        redis = direct.connect();
    }

    @AfterEach
    void stop() {
        limiter.close();
        client.shutdown();
        redis.close();
        direct.shutdown();
        proxy.close();
    }

    @Test
    void whileRedisRefusesConnectionsLimitsHoldInProcessAndRedisIsUsedAgainOnceItIsBack() {
        breakAndRestore(proxy::cut);
    }

    @Test
    void whileRedisHangsLimitsHoldInProcessWithinOneTimeoutAndRedisIsUsedAgainOnceItIsBack() {
        breakAndRestore(proxy::hang);
    }

    private void breakAndRestore(Runnable breakRedis) {
        String before = key("before");
        assertThat(limiter.tryConsume(before, FIVE_A_MINUTE).remaining()).isEqualTo(4);
        assertThat(limiter.tryConsume(before, FIVE_A_MINUTE).remaining()).isEqualTo(3);
        assertThat(redis.sync().exists(prefix + before)).isEqualTo(1);
        // Bucket4j's expiration strategy: the key goes once the bucket would be full again
        assertThat(redis.sync().pttl(prefix + before)).isPositive()
                                                      .isLessThanOrEqualTo(Duration.ofSeconds(35).toMillis());

        breakRedis.run();
        String during = key("during");
        long start = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            assertThat(limiter.tryConsume(during, FIVE_A_MINUTE).allowed()).as("request %d", i).isTrue();
        }
        RateLimiter.Outcome refused = limiter.tryConsume(during, FIVE_A_MINUTE);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isPositive();
        assertThat(limiter.usingRedis()).isFalse();
        // only the request that met the failure waited for Redis (a Bucket4j call is two Redis commands)
        assertThat(elapsed).isLessThan(TIMEOUT.multipliedBy(2).plusMillis(400));
        assertThat(redis.sync().exists(prefix + during)).isZero();

        proxy.restore();
        String probe = key("probe");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (redis.sync().exists(prefix + probe) == 0) {
            assertThat(System.nanoTime()).as("Redis used again within 30 s").isLessThan(deadline);
            sleep(RETRY_AFTER.dividedBy(5));
            limiter.tryConsume(probe, FIVE_A_MINUTE);
        }
        assertThat(limiter.usingRedis()).isTrue();
        // the bucket from before the outage is where Redis kept it, not a fresh one
        assertThat(limiter.tryConsume(before, FIVE_A_MINUTE).remaining()).isEqualTo(2);
    }

    private static String key(String name) {
        return "ratelimit:user:" + UUID.randomUUID() + ":" + name;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
