package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.modelcontextprotocol.spec.McpError;
import org.mcpplatform.support.EmbeddedPlatform;
import org.mcpplatform.support.Api;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpplatform.deployment.EndToEnd.alive;
import static org.mcpplatform.deployment.EndToEnd.call;
import static org.mcpplatform.deployment.EndToEnd.javaServerConfig;
import static org.mcpplatform.deployment.EndToEnd.text;
import static org.mcpplatform.deployment.EndToEnd.awaitDeployment;
import static org.mcpplatform.deployment.EndToEnd.awaitRunning;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.echo;
import static org.mcpplatform.deployment.EndToEnd.everythingConfig;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.deployment.EndToEnd.withToken;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The embedded default as a user runs it (everything under one data directory), stopped and started again with a
 * deployed server: stopping the platform ends the server's process, and the next start runs the deployment again —
 * a new process, one more restart, the same endpoint answering, and a tool blocked before is blocked still.
 */
class DeploymentRestartRecoveryTest {

    @TempDir
    Path dataDir;

    private final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(ConfigurableApplicationContext::close);
        pids.stream().filter(EndToEnd::alive).forEach(pid -> EndToEnd.signal("KILL", pid));
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext context = EmbeddedPlatform.start(dataDir,
                "--mcp.deployments.health-interval=1s",
                "--mcp.deployments.health-timeout=1s",
                "--mcp.deployments.stop-grace=2s");
        running.add(context);
        return context;
    }

    private static void awaitBlocked(McpSyncClient client) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                echo(client, "blocked yet?");
            } catch (McpError blocked) {
                return;
            }
            EndToEnd.sleep(100);
        }
        throw new AssertionError("echo was never blocked");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private void stop(ConfigurableApplicationContext context) {
        context.close();
        running.remove(context);
    }

    @Test
    void aDeploymentRunsAgainAfterThePlatformRestarts() {
        ConfigurableApplicationContext first = start();
        Api api = api(first);
        String toolId = register(api, uniqueSlug("recovered"), everythingConfig(Map.of()));
        String deploymentId = deploy(api, toolId);
        JsonNode before = awaitRunning(api, deploymentId);
        long firstPid = before.get("pid").asLong();
        pids.add(firstPid);
        try (McpSyncClient client = withToken(before.get("endpoint_url").asText(), api.adminToken())) {
            client.initialize();
            assertThat(echo(client, "before")).isEqualTo("Echo: before");
        }

        // a second deployment whose echo changed its description and was not approved: it stays blocked
        String mutableId = deploy(api, register(api, uniqueSlug("mutable"), javaServerConfig()));
        JsonNode mutable = awaitRunning(api, mutableId);
        pids.add(mutable.get("pid").asLong());
        try (McpSyncClient client = withToken(mutable.get("endpoint_url").asText(), api.adminToken())) {
            client.initialize();
            client.listTools();
            call(client, "mutate", Map.of("description", "changed"));
            client.listTools();
            awaitDeployment(api, mutableId, "definitions changed", d -> d.path("definitions_changed").asBoolean());
            awaitBlocked(client);
        }

        stop(first);

        assertThat(alive(firstPid)).as("the server outlived the platform").isFalse();
        assertThat(alive(mutable.get("pid").asLong())).as("the server outlived the platform").isFalse();

        ConfigurableApplicationContext second = start();
        api = api(second);
        JsonNode after = awaitDeployment(api, deploymentId, "running again with a new process",
                d -> "running".equals(d.path("status").asText()) && d.path("pid").isNumber()
                        && d.get("pid").asLong() != firstPid && "healthy".equals(d.path("health_status").asText()));
        long secondPid = after.get("pid").asLong();
        pids.add(secondPid);
        assertThat(alive(secondPid)).isTrue();
        assertThat(after.get("restarts").asInt()).isEqualTo(before.get("restarts").asInt() + 1);
        assertThat(after.get("slug").asText()).isEqualTo(before.get("slug").asText());
        try (McpSyncClient client = withToken(after.get("endpoint_url").asText(), api.adminToken())) {
            client.initialize();
            assertThat(echo(client, "after")).isEqualTo("Echo: after");
        }

        JsonNode mutableAfter = awaitDeployment(api, mutableId, "running again",
                d -> "running".equals(d.path("status").asText()) && d.path("pid").isNumber()
                        && d.get("pid").asLong() != mutable.get("pid").asLong());
        pids.add(mutableAfter.get("pid").asLong());
        assertThat(mutableAfter.get("definitions_changed").asBoolean()).isTrue();
        try (McpSyncClient client = withToken(mutableAfter.get("endpoint_url").asText(), api.adminToken())) {
            client.initialize();
            // nobody approved the change: the block outlives the platform (the saga's state), not only the process
            assertThatThrownBy(() -> echo(client, "after restart")).isInstanceOf(McpError.class)
                                                                   .hasMessageContaining("blocked");
            assertThat(text(call(client, "add", Map.of("a", 1, "b", 1)))).isEqualTo("2.0");
        }

        stop(second);

        assertThat(alive(secondPid)).as("the server outlived the platform").isFalse();
    }
}
