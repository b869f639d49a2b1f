package org.mcpplatform.identity;

import io.lettuce.core.api.StatefulRedisConnection;
import org.mcpplatform.cache.CacheProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Redis holds the sessions when {@code REDIS_URL} is set, so that every node sees every login and revocation; without
 * it they live in this process. There is deliberately no fallback from Redis to memory: a session revoked in Redis
 * would live on in a node's local copy.
 */
@Configuration(proxyBeanMethods = false)
public class SessionStoreConfiguration {

    /** The same condition as {@link org.mcpplatform.redis.RedisConfiguration}, which provides the connection. */
    private static final String REDIS_CONFIGURED = "!'${mcp.cache.redis-url:}'.isBlank()";

    @Bean
    @ConditionalOnExpression(REDIS_CONFIGURED)
    public SessionStore redisSessionStore(StatefulRedisConnection<String, String> platformRedis,
                                          CacheProperties cache, TokenProperties tokens) {
        return new RedisSessionStore(platformRedis, cache.prefix(), tokens, Clock.systemUTC(), cache.timeout(),
                                     cache.retryAfter());
    }

    @Bean
    @ConditionalOnExpression("!(" + REDIS_CONFIGURED + ")")
    public SessionStore localSessionStore(TokenProperties tokens) {
        return new LocalSessionStore(tokens, Clock.systemUTC());
    }
}
