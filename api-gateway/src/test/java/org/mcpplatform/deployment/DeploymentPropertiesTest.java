package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.Deployments.deploy;
import static org.mcpplatform.deployment.Deployments.deployed;
import static org.mcpplatform.deployment.Deployments.idleNodeConfig;
import static org.mcpplatform.deployment.Deployments.registerTool;
import static org.mcpplatform.support.Tools.uniqueSlug;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Seed properties of deployments, checked through the API and against the mcp_deployments table directly. */
@PlatformTest
class DeploymentPropertiesTest {

    private static final int EXAMPLES = 12;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    // Property 17: Deployment Endpoint Uniqueness
    @Test
    void theEndpointUrlsOfActiveDeploymentsAreUnique() {
        Api admin = new Api(port);
        // per tool: whether its deployment is stopped, and whether it is then deployed again
        qt().withExamples(EXAMPLES).withShrinkCycles(2)
            .forAll(lists().of(booleans().all()).ofSizeBetween(1, 4),
                    lists().of(booleans().all()).ofSizeBetween(4, 4))
            .checkAssert((stops, redeploys) -> {
                Map<String, String> slugOfTool = new HashMap<>();
                try {
                    for (int i = 0; i < stops.size(); i++) {
                        String slug = uniqueSlug("unique");
                        String toolId = registerTool(admin, slug, idleNodeConfig());
                        slugOfTool.put(toolId, slug);
                        String id = deployed(admin, toolId).get("id").asText();
                        if (stops.get(i)) {
                            assertThat(admin.delete("/api/v1/deployments/" + id).status()).isEqualTo(200);
                            if (redeploys.get(i)) {
                                deployed(admin, toolId);
                            }
                        }
                        // whatever happened, the tool now has at most one active deployment
                        assertThat(deploy(admin, toolId).status()).isIn(202, 409);
                    }
                    JsonNode active = admin.get("/api/v1/deployments?active=true").json().get("deployments");
                    List<String> urls = active.findValuesAsText("endpoint_url");
                    assertThat(new HashSet<>(urls)).hasSameSizeAs(urls);
                    for (JsonNode deployment : active) {
                        assertThat(deployment.get("status").asText()).isIn("starting", "running");
                        String slug = slugOfTool.get(deployment.get("tool_id").asText());
                        if (slug != null) {
                            assertThat(deployment.get("endpoint_url").asText())
                                    .isEqualTo("http://localhost:" + port + "/mcp/" + slug);
                        }
                    }
                    Set<String> ourTools = new HashSet<>(slugOfTool.keySet());
                    assertThat(active.findValuesAsText("tool_id").stream().filter(ourTools::contains))
                            .as("every tool of this example has exactly one active deployment")
                            .hasSize(ourTools.size())
                            .doesNotHaveDuplicates();
                } finally {
                    // later examples and other tests share the application: leave nothing of this one running
                    for (JsonNode deployment : admin.get("/api/v1/deployments?active=true").json()
                                                    .get("deployments")) {
                        if (slugOfTool.containsKey(deployment.get("tool_id").asText())) {
                            admin.delete("/api/v1/deployments/" + deployment.get("id").asText());
                        }
                    }
                }
            });
    }

    // Property 19: Deployment Shutdown Status
    @Test
    void afterAStopTheDeploymentIsStoppedInTheDatabase() {
        Api admin = new Api(port);
        qt().withExamples(EXAMPLES).withShrinkCycles(2)
            .forAll(integers().between(0, 3), booleans().all())
            .checkAssert((earlierStops, stopTwice) -> {
                String toolId = registerTool(admin, uniqueSlug("shutdown"), idleNodeConfig());
                for (int i = 0; i < earlierStops; i++) {
                    String earlier = deployed(admin, toolId).get("id").asText();
                    assertThat(admin.delete("/api/v1/deployments/" + earlier).status()).isEqualTo(200);
                }
                String id = deployed(admin, toolId).get("id").asText();
                assertThat(statusInDatabase(id)).isEqualTo("starting");

                Api.Response stopped = admin.delete("/api/v1/deployments/" + id);
                assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
                if (stopTwice) {
                    Api.Response again = admin.delete("/api/v1/deployments/" + id);
                    assertThat(again.status()).as(again.text()).isEqualTo(200);
                    assertThat(again.json().get("status").asText()).isEqualTo("stopped");
                }

                assertThat(statusInDatabase(id)).isEqualTo("stopped");
                assertThat(jdbc.queryForObject("SELECT stopped_at IS NOT NULL FROM mcp_deployments WHERE id = ?",
                                               Boolean.class, id)).isTrue();
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM mcp_deployments WHERE tool_id = ? "
                                                       + "AND status IN ('starting', 'running')",
                                               Integer.class, toolId)).isZero();
            });
    }

    private String statusInDatabase(String deploymentId) {
        return jdbc.queryForObject("SELECT status FROM mcp_deployments WHERE id = ?", String.class, deploymentId);
    }

}
