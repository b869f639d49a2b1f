package org.mcpplatform.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Redis when {@code REDIS_URL} is set, the in-process store otherwise. */
@Configuration(proxyBeanMethods = false)
public class CacheConfiguration {

    private static final long LOCAL_CACHE_ENTRIES = 100_000;

    @Bean
    public CacheStore cacheStore(CacheProperties properties) {
        if (!properties.redisEnabled()) {
            return new LocalCacheStore(LOCAL_CACHE_ENTRIES);
        }
        RedisURI uri = RedisURI.create(properties.redisUrl());
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
        server.setDatabase(uri.getDatabase());
        if (uri.getUsername() != null) {
            server.setUsername(uri.getUsername());
        }
        if (uri.getPassword() != null) {
            server.setPassword(RedisPassword.of(uri.getPassword()));
        }
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client =
                LettuceClientConfiguration.builder()
                                          .commandTimeout(properties.timeout())
                                          .clientOptions(ClientOptions.builder()
                                                                      // fail at once while disconnected instead of
                                                                      // queueing until the timeout
                                                                      .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                                                      .socketOptions(SocketOptions.builder()
                                                                                                  .connectTimeout(properties.timeout())
                                                                                                  .build())
                                                                      .build());
        if (uri.isSsl()) {
            client.useSsl();
        }
        LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client.build());
        factory.afterPropertiesSet();
        factory.start();
        return new RedisCacheStore(factory, properties.prefix(), properties.retryAfter());
    }
}
