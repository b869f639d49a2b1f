package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.support.EmbeddedPlatform;
import org.mcpplatform.support.Api;
import org.mcpplatform.usage.UsageRecord;
import org.mcpplatform.usage.UsageRecorder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.Deployments.deployed;
import static org.mcpplatform.deployment.Deployments.idleNodeConfig;
import static org.mcpplatform.deployment.Deployments.registerTool;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * Deployments and usage statistics on the embedded default's database (H2 in MySQL mode): the migrations apply, the
 * projection writes and the queries read as on MariaDB, and queued usage records are written when the platform
 * shuts down.
 */
class DeploymentEmbeddedTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return EmbeddedPlatform.start(dataDir,
                // long enough that only the shutdown writes the last record
                "--mcp.usage.flush-interval=1h",
                "--mcp.usage.batch-size=1000");
    }

    @Test
    void deploymentsAndUsageWorkOnTheEmbeddedDatabase() {
        String toolId;
        String deploymentId;
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        try (ConfigurableApplicationContext context = start()) {
            Api admin = new Api(((WebServerApplicationContext) context).getWebServer().getPort());
            toolId = registerTool(admin, uniqueSlug("embedded"), idleNodeConfig());
            JsonNode deployment = deployed(admin, toolId);
            deploymentId = deployment.get("id").asText();
            assertThat(deployment.get("status").asText()).isEqualTo("starting");
            assertThat(admin.get("/api/v1/deployments?active=true").json().get("deployments"))
                    .extracting(d -> d.get("id").asText()).containsExactly(deploymentId);
            assertThat(admin.delete("/api/v1/deployments/" + deploymentId).json().get("status").asText())
                    .isEqualTo("stopped");
            assertThat(admin.get("/api/v1/deployments?active=true").json().get("deployments")).isEmpty();

            context.getBean(UsageRecorder.class).record(new UsageRecord(
                    toolId, deploymentId, "tools/call", "echo", "ok", 200, 1500, UUID.randomUUID().toString(),
                    minute.plusSeconds(5)));
            assertThat(context.getBean(JdbcTemplate.class)
                              .queryForObject("SELECT COUNT(*) FROM mcp_usage_stats", Long.class))
                    .as("not yet written: the batch waits for its interval").isZero();
        }

        try (ConfigurableApplicationContext context = start()) {
            Api admin = new Api(((WebServerApplicationContext) context).getWebServer().getPort());
            assertThat(admin.get("/api/v1/deployments/" + deploymentId).json().get("status").asText())
                    .isEqualTo("stopped");
            JsonNode stats = admin.get("/api/v1/mcps/" + toolId + "/stats?bucket=minute&from=" + minute + "&to="
                                               + minute.plus(Duration.ofMinutes(2))).json();
            assertThat(stats.get("buckets")).hasSize(2);
            JsonNode first = stats.get("buckets").get(0);
            assertThat(first.get("count").asLong()).as("written on shutdown").isEqualTo(1);
            assertThat(first.get("errors").asLong()).isZero();
            assertThat(first.get("p50_ms").asDouble()).isEqualTo(1.5);
            assertThat(first.get("p99_ms").asDouble()).isEqualTo(1.5);
        }
    }
}
