package org.mcpplatform.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a test application at MariaDB, Redis and RabbitMQ (fresh database, fresh key prefix) and at an in-memory in-process
 * MongoDB server.
 */
public class RealServicesInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "spring.datasource.url=" + TestServices.freshDatabase(),
                "spring.datasource.username=" + TestServices.MYSQL_USER,
                "spring.datasource.password=" + TestServices.MYSQL_PASSWORD,
                "mcp.cache.redis-url=" + TestServices.REDIS_URL,
                "mcp.cache.key-prefix=" + TestServices.freshRedisPrefix(),
                // one Redis command past the timeout opens the circuit breaker for a while; on a loaded test machine
                // 100 ms is passed now and then, which would make cache-hit checks flaky. The fallback test sets
                // the production timeout again for the context it breaks Redis in.
                "mcp.cache.timeout=500ms",
                // tests fire hundreds of requests a second from 127.0.0.1 as one administrator; the rate-limit
                // tests set small limits again in contexts of their own
                "mcp.rate-limit.read-per-minute=1000000",
                "mcp.rate-limit.write-per-minute=1000000",
                "mcp.rate-limit.auth-per-minute=1000000",
                "mcp.rate-limit.mcp-per-minute=1000000",
                "mcp.rate-limit.failed-auth-per-ip=1000000",
                "mcp.event-store.embedded-backend=memory",
                // each application has its own in-memory event store, so its own exchange; RabbitMQ removes the
                // queue of a test run that was killed a minute later
                "mcp.live.rabbitmq-url=" + TestServices.RABBITMQ_URL,
                "mcp.live.exchange=" + TestServices.freshExchange(),
                "mcp.live.queue-expires=60s",
                "mcp.identity.admin-username=" + TestServices.ADMIN_USERNAME,
                "mcp.identity.admin-password=" + TestServices.ADMIN_PASSWORD,
                "mcp.event-store.data-dir=target/test-data",
                "mcp.tokens.data-dir=target/test-data"
        ).applyTo(context);
    }
}
