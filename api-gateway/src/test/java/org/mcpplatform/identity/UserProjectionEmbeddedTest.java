package org.mcpplatform.identity;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.identity.UserAccounts.Account;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.identity.UserAccounts.await;
import static org.mcpplatform.identity.UserAccounts.now;
import static org.mcpplatform.identity.UserAccounts.unique;

/**
 * The identity read model on the embedded default's database (H2 in MySQL mode, as application.yml configures it):
 * the migration applies there, and the projection's writes, its reset and the queries behave as on MariaDB.
 */
class UserProjectionEmbeddedTest {

    @TempDir
    Path dataDir;

    @Test
    void theIdentityReadModelWorksOnTheEmbeddedDatabase() throws Exception {
        McpPlatformApplication.disableAxonUpdateCheckUnlessAsked();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(McpPlatformApplication.class).run(
                "--server.port=0",
                "--mcp.event-store.mongodb-uri=",
                "--mcp.event-store.embedded-backend=memory",
                "--mcp.event-store.data-dir=" + dataDir,
                "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("readmodel")
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE",
                "--spring.datasource.username=sa",
                "--spring.datasource.password=",
                "--mcp.cache.redis-url=")) {
            UserAccounts accounts = new UserAccounts(context.getBean(EventStore.class),
                                                     context.getBean(QueryGateway.class));
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);

            Account account = new Account();
            String username = unique("Edsger");
            String email = username + "@Example.com";
            String keyId = UUID.randomUUID().toString();
            Instant t = now().minusSeconds(60);
            accounts.publish(account.event(new UserRegistered(account.id, username, email, Role.VIEWER), t),
                             account.event(new ApiKeyIssued(account.id, keyId, "ci", "mcp_h2", t.plusSeconds(9)),
                                           t.plusMillis(1)));
            await(() -> accounts.user(account.id), Objects::nonNull, "the registration is projected");
            // in later batches: updates of stored rows
            accounts.publish(account.event(new RoleChanged(account.id, Role.VIEWER, Role.ADMIN), t.plusMillis(2)));
            accounts.publish(account.event(new ApiKeyRevoked(account.id, keyId), t.plusMillis(3)));
            accounts.publish(account.event(new UserDeactivated(account.id), t.plusMillis(4)));

            UserView expected = new UserView(account.id, username, email, Role.ADMIN, false, t, t.plusMillis(4));
            assertThat(await(() -> accounts.user(account.id), user -> !user.active(), "the deactivation is projected"))
                    .isEqualTo(expected);
            assertThat(accounts.userNamed(username.toUpperCase(Locale.ROOT))).isEqualTo(expected);
            ApiKeyView key = new ApiKeyView(keyId, account.id, "ci", "mcp_h2", t.plusSeconds(9), t.plusMillis(1),
                                            t.plusMillis(3));
            assertThat(accounts.keysOf(account.id)).containsExactly(key);
            assertThat(accounts.key(keyId)).isEqualTo(key);

            List<Map<String, Object>> users = jdbc.queryForList("SELECT * FROM users ORDER BY id");
            List<Map<String, Object>> keys = jdbc.queryForList("SELECT * FROM api_keys ORDER BY id");
            TrackingEventProcessor processor = context.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(UserProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
            processor.shutDown();
            processor.resetTokens();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users", Long.class)).isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM api_keys", Long.class)).isZero();
            processor.start();
            await(() -> jdbc.queryForList("SELECT * FROM users ORDER BY id"), users::equals, "users rebuilt");
            await(() -> jdbc.queryForList("SELECT * FROM api_keys ORDER BY id"), keys::equals, "api_keys rebuilt");
        }
    }
}
