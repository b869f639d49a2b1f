package org.mcpplatform.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.mcpplatform.cache.CacheProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The Redis that holds what must be shared between nodes besides the cache: refresh tokens and sessions, rate-limit
 * buckets, API key revocations. Present only when {@code REDIS_URL} is set; without it those live in this process.
 * Keys carry {@link CacheProperties#prefix()} like the cache's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${mcp.cache.redis-url:}'.isBlank()")
public class RedisConfiguration {

    /** Auth and rate-limit calls are on every request: fail fast rather than queue behind a dead connection. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    @Bean(destroyMethod = "shutdown")
    public RedisClient platformRedisClient(CacheProperties properties) {
        RedisClient client = RedisClient.create(RedisURI.create(properties.redisUrl()));
        client.setOptions(ClientOptions.builder()
                                       .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                       .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                                       .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                                       .build());
        return client;
    }

    /** One thread-safe connection shared by the platform's string-keyed stores. */
    @Bean(destroyMethod = "close")
    public StatefulRedisConnection<String, String> platformRedis(RedisClient platformRedisClient) {
        return platformRedisClient.connect();
    }
}
