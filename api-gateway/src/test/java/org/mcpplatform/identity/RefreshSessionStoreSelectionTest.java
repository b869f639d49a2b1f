package org.mcpplatform.identity;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.mcpplatform.cache.CacheProperties;
import org.mcpplatform.support.TestServices;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** REDIS_URL decides where sessions live; there is never a second, local store beside Redis. */
class RefreshSessionStoreSelectionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SessionStoreConfiguration.class)
            .withBean(TokenProperties.class, () -> TokenFixtures.sessions(TokenFixtures.REFRESH_TTL,
                                                                          Duration.ofSeconds(1)));

    private static CacheProperties cache(String redisUrl) {
        return new CacheProperties(redisUrl, TestServices.freshRedisPrefix(), Duration.ofMillis(100),
                                   Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(60),
                                   Duration.ofSeconds(1));
    }

    @Test
    void withoutRedisSessionsLiveInThisProcess() {
        runner.withBean(CacheProperties.class, () -> cache(""))
              .run(context -> assertThat(context).getBean(SessionStore.class).isInstanceOf(LocalSessionStore.class));
    }

    @Test
    void withRedisSessionsLiveOnlyInRedis() {
        RedisClient client = RedisClient.create(TestServices.REDIS_URL);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            runner.withPropertyValues("mcp.cache.redis-url=" + TestServices.REDIS_URL)
                  .withBean(CacheProperties.class, () -> cache(TestServices.REDIS_URL))
                  .withBean("platformRedis", StatefulRedisConnection.class, () -> connection)
                  .run(context -> {
                      assertThat(context).hasSingleBean(SessionStore.class);
                      assertThat(context).getBean(SessionStore.class).isInstanceOf(RedisSessionStore.class);
                  });
        } finally {
            client.shutdown();
        }
    }
}
