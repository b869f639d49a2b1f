package org.mcpplatform.cache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.connection.RedisStringCommands;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cache in Redis, behind a circuit breaker: every command has a short timeout, and one failure opens the circuit,
 * so that Redis is not asked at all for a while and reads fall back to the database at once instead of each waiting
 * out a timeout (seed Property 32): a read waits out at most one timeout. Keys carry the configured prefix.
 */
public class RedisCacheStore implements CacheStore {

    private static final Logger log = LoggerFactory.getLogger(RedisCacheStore.class);

    private final LettuceConnectionFactory connectionFactory;
    private final StringRedisTemplate redis;
    private final String prefix;
    private final CircuitBreaker breaker;

    public RedisCacheStore(LettuceConnectionFactory connectionFactory, String prefix, Duration retryAfter) {
        this.connectionFactory = connectionFactory;
        this.redis = new StringRedisTemplate(connectionFactory);
        this.prefix = prefix;
        this.breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                                                                      // a window of one: with a larger window a
                                                                      // hanging Redis made each read wait out
                                                                      // several timeouts before the circuit opened
                                                                      .slidingWindowSize(1)
                                                                      .minimumNumberOfCalls(1)
                                                                      .failureRateThreshold(50)
                                                                      .waitDurationInOpenState(retryAfter)
                                                                      .permittedNumberOfCallsInHalfOpenState(1)
                                                                      .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> log.warn("Redis is unreachable; reads go to the database until it answers again");
                case CLOSED -> log.info("Redis answers again; caching resumed");
                default -> { }
            }
        });
    }

    @Override
    public Optional<String> get(String key) {
        return call(() -> Optional.ofNullable(redis.opsForValue().get(prefix + key)), Optional.empty());
    }

    @Override
    public void putIfAbsent(String key, String value, Duration ttl) {
        call(() -> redis.opsForValue().setIfAbsent(prefix + key, value, ttl), null);
    }

    @Override
    public boolean putAll(Map<String, String> values, Duration ttl) {
        if (values.isEmpty()) {
            return true;
        }
        return call(() -> redis.executePipelined((RedisCallback<Object>) connection -> {
            values.forEach((key, value) -> connection.stringCommands().set(
                    (prefix + key).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8),
                    Expiration.from(ttl),
                    RedisStringCommands.SetOption.upsert()));
            return null;
        }) != null, false);
    }

    @Override
    public Optional<Long> increment(String key) {
        return call(() -> Optional.ofNullable(redis.opsForValue().increment(prefix + key)), Optional.empty());
    }

    @Override
    public boolean removeAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return true;
        }
        List<String> prefixed = keys.stream().map(key -> prefix + key).toList();
        return call(() -> {
            redis.delete(prefixed);
            return true;
        }, false);
    }

    @Override
    public void removeByPrefix(String keyPrefix) {
        call(() -> {
            List<String> keys = new ArrayList<>();
            ScanOptions options = ScanOptions.scanOptions().match(escape(prefix + keyPrefix) + "*").count(1000).build();
            try (Cursor<String> cursor = redis.scan(options)) {
                cursor.forEachRemaining(keys::add);
            }
            for (int from = 0; from < keys.size(); from += 1000) {
                redis.delete(keys.subList(from, Math.min(keys.size(), from + 1000)));
            }
            return null;
        }, null);
    }

    @Override
    public boolean available() {
        return breaker.getState() != CircuitBreaker.State.OPEN;
    }

    @Override
    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(redis.execute((RedisCallback<String>) connection -> connection.ping()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        connectionFactory.destroy();
    }

    private <T> T call(Supplier<T> command, T fallback) {
        try {
            return breaker.executeSupplier(command);
        } catch (CallNotPermittedException e) {
            return fallback;
        } catch (RuntimeException e) {
            log.debug("Redis command failed: {}", e.toString());
            return fallback;
        }
    }

    private static String escape(String pattern) {
        return pattern.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
