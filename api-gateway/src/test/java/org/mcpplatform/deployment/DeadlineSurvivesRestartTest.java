package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.support.EmbeddedPlatform;
import org.mcpplatform.support.Api;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.EndToEnd.alive;
import static org.mcpplatform.deployment.EndToEnd.awaitDeployment;
import static org.mcpplatform.deployment.EndToEnd.awaitRunning;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.echo;
import static org.mcpplatform.deployment.EndToEnd.everythingConfig;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.deployment.EndToEnd.withToken;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The saga's restart back-off is a deadline in the database, not a timer in memory: a server killed shortly before
 * the platform stops is restarted by that deadline after the platform started again (embedded default, everything
 * under one data directory, two starts like {@link DeploymentRestartRecoveryTest}).
 * <p>
 * {@link DeploymentRecovery} would restart the deployment at the second start by itself ("platform restarted"), and its
 * DeploymentRestarted cancels the pending deadline: the two would be indistinguishable (both remove the row). So the
 * second start runs without the recovery bean (there is no property to switch it off): whatever restarts the server
 * then is the persisted deadline, which the restart's reason — the crash, not "platform restarted" — shows too.
 */
class DeadlineSurvivesRestartTest {

    private static final Duration BACK_OFF = Duration.ofSeconds(8);
    private static final String RESTART_DEADLINE = DeploymentSaga.RESTART;

    @TempDir
    Path dataDir;

    private final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    /** A restart deadline as db-scheduler keeps it. */
    private record DeadlineRow(String taskName, String taskInstance, Instant executionTime, boolean picked) {
    }

    @AfterEach
    void stopAll() {
        running.forEach(ConfigurableApplicationContext::close);
        pids.stream().filter(EndToEnd::alive).forEach(pid -> EndToEnd.signal("KILL", pid));
    }

    private String h2Url() {
        return EmbeddedPlatform.readModelUrl(dataDir);
    }

    private ConfigurableApplicationContext start(boolean recovery) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(McpPlatformApplication.class);
        if (!recovery) {
            builder.initializers(withoutRecovery());
        }
        ConfigurableApplicationContext context = EmbeddedPlatform.start(builder, dataDir,
                "--mcp.deployments.health-interval=1s",
                "--mcp.deployments.health-timeout=1s",
                "--mcp.deployments.stop-grace=2s",
                "--mcp.deployments.restart.initial-backoff=" + BACK_OFF.toSeconds() + "s");
        running.add(context);
        return context;
    }

    /**
     * Removes the DeploymentRecovery bean before any bean is made: a plain BeanFactoryPostProcessor added to the
     * context runs after the configuration classes registered their beans.
     */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> withoutRecovery() {
        return context -> context.addBeanFactoryPostProcessor(beanFactory -> {
            BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beanFactory;
            String[] names = beanFactory.getBeanNamesForType(DeploymentRecovery.class, true, false);
            if (names.length != 1) {
                throw new IllegalStateException("expected one DeploymentRecovery bean, found " + List.of(names));
            }
            registry.removeBeanDefinition(names[0]);
        });
    }

    private void stop(ConfigurableApplicationContext context) {
        context.close();
        running.remove(context);
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static List<DeadlineRow> restartDeadlines(Connection connection) {
        return new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true))
                .query("SELECT task_name, task_instance, execution_time, picked, task_data FROM scheduled_tasks",
                       (row, n) -> {
                           byte[] data = row.getBytes("task_data");
                           // binary (Java-serialized) or JSON deadline details: the deadline's name is text in both
                           boolean restart = data != null
                                   && new String(data, StandardCharsets.ISO_8859_1).contains(RESTART_DEADLINE);
                           Timestamp at = row.getTimestamp("execution_time");
                           return restart ? new DeadlineRow(row.getString("task_name"), row.getString("task_instance"),
                                                            at.toInstant(), row.getBoolean("picked")) : null;
                       })
                .stream().filter(java.util.Objects::nonNull).toList();
    }

    private static List<DeadlineRow> restartDeadlines(ConfigurableApplicationContext context) {
        try (Connection connection = context.getBean(DataSource.class).getConnection()) {
            return restartDeadlines(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> events(ConfigurableApplicationContext context, String deploymentId, Class<T> type) {
        return context.getBean(EventStore.class).readEvents(deploymentId).asStream()
                      .map(DomainEventMessage::getPayload).filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aRestartBackOffSetBeforeThePlatformStoppedFiresAfterItStartedAgain() throws SQLException {
        ConfigurableApplicationContext first = start(true);
        Api api = api(first);
        String deploymentId = deploy(api, register(api, uniqueSlug("deadline"), everythingConfig(Map.of())));
        JsonNode before = awaitRunning(api, deploymentId);
        long firstPid = before.get("pid").asLong();
        pids.add(firstPid);
        assertThat(restartDeadlines(first)).as("no restart is due while the server runs").isEmpty();

        EndToEnd.signal("KILL", firstPid);
        EndToEnd.awaitGone(firstPid);
        Instant killed = Instant.now();

        // the saga saw the crash and set the back-off as a row of scheduled_tasks
        DeadlineRow scheduled = null;
        long wait = System.nanoTime() + Duration.ofSeconds(BACK_OFF.toSeconds() / 2).toNanos();
        while (scheduled == null && System.nanoTime() < wait) {
            List<DeadlineRow> rows = restartDeadlines(first);
            scheduled = rows.isEmpty() ? null : rows.get(0);
            EndToEnd.sleep(50);
        }
        assertThat(scheduled).as("a restart deadline in scheduled_tasks within " + BACK_OFF.toSeconds() / 2 + " s")
                             .isNotNull();
        assertThat(restartDeadlines(first)).hasSize(1);
        assertThat(scheduled.executionTime()).as("due after the back-off")
                                             .isAfter(killed.plus(BACK_OFF).minusSeconds(2));
        assertThat(events(first, deploymentId, DeploymentRestarted.class)).as("not restarted yet").isEmpty();

        stop(first);

        // the platform is down: the deadline is still in the database, not picked by anyone
        try (Connection connection = DriverManager.getConnection(h2Url(), "sa", "")) {
            assertThat(restartDeadlines(connection)).containsExactly(scheduled);
        }

        ConfigurableApplicationContext second = start(false);
        assertThat(second.getBeanNamesForType(DeploymentRecovery.class)).as("recovery is off").isEmpty();
        api = api(second);
        JsonNode after = awaitDeployment(api, deploymentId, "running again with a new process",
                d -> "running".equals(d.path("status").asText()) && d.path("pid").isNumber()
                        && d.get("pid").asLong() != firstPid && "healthy".equals(d.path("health_status").asText()));
        long secondPid = after.get("pid").asLong();
        pids.add(secondPid);
        assertThat(alive(secondPid)).isTrue();
        assertThat(after.get("restarts").asInt()).isEqualTo(before.get("restarts").asInt() + 1);

        // restarted by the deadline: once, for the crash, not before it was due; its row is consumed
        List<DomainEventMessage<?>> restarts = second.getBean(EventStore.class).readEvents(deploymentId).asStream()
                .filter(e -> e.getPayload() instanceof DeploymentRestarted).<DomainEventMessage<?>>map(e -> e).toList();
        assertThat(restarts).hasSize(1);
        DeploymentRestarted restarted = (DeploymentRestarted) restarts.get(0).getPayload();
        assertThat(restarted.reason()).as("the crash the back-off was for").startsWith("The server stopped")
                                      .isNotEqualTo("platform restarted");
        assertThat(restarts.get(0).getTimestamp()).isAfterOrEqualTo(scheduled.executionTime());
        assertThat(restartDeadlines(second)).as("the deadline ran and is gone").isEmpty();

        try (McpSyncClient client = withToken(after.get("endpoint_url").asText(), api.adminToken())) {
            client.initialize();
            assertThat(echo(client, "after the deadline")).isEqualTo("Echo: after the deadline");
        }

        stop(second);
        assertThat(alive(secondPid)).as("the server outlived the platform").isFalse();
    }
}
