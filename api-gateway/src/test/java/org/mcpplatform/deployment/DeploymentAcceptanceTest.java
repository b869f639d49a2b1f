package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.EndToEnd.apiKey;
import static org.mcpplatform.deployment.EndToEnd.awaitRunning;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.echo;
import static org.mcpplatform.deployment.EndToEnd.everythingConfig;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.deployment.EndToEnd.text;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The whole journey of a developer, through the public API only: register a tool that runs server-everything over
 * stdio, deploy it, wait until it runs, connect the official MCP Java SDK client to its endpoint_url with an API key,
 * use it, and find the calls in the tool's usage statistics.
 */
@SupervisedPlatformTest
class DeploymentAcceptanceTest {

    @LocalServerPort
    int port;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void stopDeployments() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void aDeveloperDeploysServerEverythingAndUsesItWithTheOfficialClient() {
        Accounts.Account developer = Accounts.create(port, "developer");
        String slug = uniqueSlug("everything");
        String toolId = register(developer.api(), slug, everythingConfig(Map.of()));
        Instant before = Instant.now();

        String deploymentId = deploy(developer.api(), toolId);
        cleanup.add(() -> developer.api().delete("/api/v1/deployments/" + deploymentId));

        JsonNode running = awaitRunning(developer.api(), deploymentId);
        assertThat(running.get("pid").asLong()).isPositive();
        assertThat(EndToEnd.alive(running.get("pid").asLong())).isTrue();
        assertThat(running.get("slug").asText()).isEqualTo(slug);
        assertThat(running.get("kind").asText()).isEqualTo("stdio");
        assertThat(running.get("restarts").asInt()).isZero();
        assertThat(running.get("started_at").isNull()).isFalse();
        assertThat(running.get("last_health_check_at").isNull()).isFalse();
        String endpoint = running.get("endpoint_url").asText();
        assertThat(endpoint).isEqualTo("http://localhost:" + port + "/mcp/" + slug);

        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        int calls = 0;
        try (McpSyncClient client = EndToEnd.client(endpoint, "X-API-Key", apiKey(developer), progress::add)) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(init.capabilities().tools()).isNotNull();

            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                                                  .contains("echo", "trigger-long-running-operation", "get-env");
            calls++;

            assertThat(echo(client, "hello platform")).isEqualTo("Echo: hello platform");
            calls++;

            McpSchema.CallToolResult longRun = client.callTool(
                    McpSchema.CallToolRequest.builder("trigger-long-running-operation")
                                             .arguments(Map.of("duration", 1, "steps", 3))
                                             .progressToken("accept-1").build());
            calls++;
            assertThat(text(longRun)).contains("Long running operation completed");
            // the SDK hands notifications to the consumer on its own scheduler: the response may overtake the last
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (progress.size() < 3 && System.nanoTime() < deadline) {
                EndToEnd.sleep(20);
            }
            assertThat(progress).hasSize(3);
            assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("accept-1"));
            assertThat(progress).extracting(McpSchema.ProgressNotification::progress).containsExactly(1.0, 2.0, 3.0);

            McpSchema.ReadResourceResult resource = client.readResource(
                    new McpSchema.ReadResourceRequest("demo://resource/dynamic/text/1"));
            calls++;
            assertThat(((McpSchema.TextResourceContents) resource.contents().get(0)).text()).contains("Resource 1");
        }

        // the usage recorder writes every 200 ms; the calls show up in the tool's statistics
        int expected = calls;
        JsonNode stats = awaitStats(developer.api(), toolId, before, expected);
        long count = 0;
        for (JsonNode bucket : stats.get("buckets")) {
            count += bucket.get("count").asLong();
        }
        assertThat(count).as("initialize, tools/list, two tools/call, resources/read and whatever else the client sent")
                         .isGreaterThanOrEqualTo(expected);
        assertThat(stats.get("tool_id").asText()).isEqualTo(toolId);
        assertThat(stats.get("buckets")).anySatisfy(bucket -> {
            assertThat(bucket.get("count").asLong()).isPositive();
            assertThat(bucket.get("p50_ms").isNumber()).isTrue();
        });

        Api.Response stopped = developer.api().delete("/api/v1/deployments/" + deploymentId);
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
        EndToEnd.awaitGone(running.get("pid").asLong());
    }

    private JsonNode awaitStats(Api as, String toolId, Instant from, int atLeast) {
        String path = "/api/v1/mcps/" + toolId + "/stats?bucket=minute&from="
                + from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + "&to="
                + Instant.now().plusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Api.Response stats;
        do {
            stats = as.get(path);
            assertThat(stats.status()).as(stats.text()).isEqualTo(200);
            long count = 0;
            for (JsonNode bucket : stats.json().get("buckets")) {
                count += bucket.get("count").asLong();
            }
            if (count >= atLeast) {
                return stats.json();
            }
            EndToEnd.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the usage statistics never counted " + atLeast + " calls: " + stats.text());
    }
}
