package org.mcpplatform.tool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.McpServers;
import org.mcpplatform.support.PlatformNodes;
import org.mcpplatform.support.Secrets;
import org.mcpplatform.support.Tools;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * Two platform nodes sharing one MongoDB (reached through MONGODB_URI, as in docker-compose.yml), one MariaDB and one
 * Redis: each node caches aggregates and only one of them runs the tool projection, yet commands on either node see
 * every change, nothing is lost and slugs stay unique.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodeTest {

    private PlatformNodes platform;
    private List<ConfigurableApplicationContext> nodes;
    private Api a;
    private Api b;

    @BeforeAll
    void startTwoNodes() {
        // node A runs deployed servers, node B only serves the API (as api1 and api2 in compose)
        platform = PlatformNodes.start(2, List.of(McpPlatformApplication.class),
                                       node -> List.of("--mcp.deployments.run-servers=" + (node == 0)));
        nodes = List.of(platform.node(0), platform.node(1));
        a = platform.api(0);
        b = platform.api(1);
    }

    @AfterAll
    void stopNodes() {
        if (platform != null) {
            platform.close();
        }
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void eachNodeReadsWhatTheOtherWroteAndChangesAlternatingBetweenNodesAreAllKept() {
        String id = a.post("/api/v1/mcps", registration(uniqueSlug("two-nodes"))).json().get("id").asText();
        assertThat(b.get("/api/v1/mcps/" + id).status()).isEqualTo(200);

        for (int i = 1; i <= 10; i++) {
            Api node = i % 2 == 0 ? a : b;
            Api.Response patched = node.patch("/api/v1/mcps/" + id, "{\"version\":\"2." + i + ".0\"}");
            assertThat(patched.status()).as(patched.text()).isEqualTo(200);
            assertThat(patched.etag()).isEqualTo("\"" + (i + 1) + "\"");
            // read your writes on the node that took the command, whichever node runs the projection
            assertThat(node.get("/api/v1/mcps/" + id).json().get("version").asText()).isEqualTo("2." + i + ".0");
        }
        assertThat(a.get("/api/v1/mcps/" + id + "/history").json()).hasSize(11);
    }

    @Test
    void concurrentChangesOnBothNodesAreAppliedOneAfterTheOther() throws Exception {
        String id = a.post("/api/v1/mcps", registration(uniqueSlug("both-nodes"))).json().get("id").asText();
        List<Callable<Integer>> patches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Api node = i % 2 == 0 ? a : b;
            String body = "{\"description\":\"change " + i + "\"}";
            patches.add(() -> node.patch("/api/v1/mcps/" + id, body).status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            for (Future<Integer> status : pool.invokeAll(patches)) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(a.get("/api/v1/mcps/" + id + "/history").json()).hasSize(21);
        assertThat(b.get("/api/v1/mcps/" + id).etag()).isEqualTo("\"21\"");
    }

    @Test
    void aDeploymentRequestedOnANodeWithoutServersRunsOnTheNodeWithThemAndIsServedThere() {
        McpServers.Command everything = McpServers.everythingCommand();
        String slug = uniqueSlug("two-node-deploy");
        Api.Response tool = b.post("/api/v1/mcps", Map.of(
                "name", "Everything", "slug", slug, "version", "1.0.0",
                "config", Tools.stdioConfig(everything.command(), everything.args().toArray(String[]::new))));
        assertThat(tool.status()).as(tool.text()).isEqualTo(201);
        Api.Response requested = b.post("/api/v1/deployments", Map.of("tool_id", tool.json().get("id").asText()));
        assertThat(requested.status()).as(requested.text()).isEqualTo(202);
        String deployment = "/api/v1/deployments/" + requested.json().get("id").asText();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!"running".equals(b.get(deployment).json().path("status").asText())
                    && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertThat(b.get(deployment).json().path("status").asText()).isEqualTo("running");

            String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"two-nodes\",\"version\":\"1\"}}}";
            String accept = "application/json, text/event-stream";
            Api.Response onA = a.post("/mcp/" + slug, initialize, "Accept", accept);
            assertThat(onA.status()).as(onA.text()).isEqualTo(200);
            String session = onA.header("Mcp-Session-Id");
            Api.Response echo = a.post("/mcp/" + slug, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                                               + "\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}}",
                                       "Accept", accept, "Mcp-Session-Id", session,
                                       "MCP-Protocol-Version", "2025-06-18");
            assertThat(echo.text()).contains("Echo: hi");
            assertThat(b.post("/mcp/" + slug, initialize, "Accept", accept).status())
                    .as("node B runs no servers").isEqualTo(404);
        } finally {
            b.delete(deployment);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSlugIsRegisteredOnceAcrossNodes() throws Exception {
        String slug = uniqueSlug("contested");
        List<Callable<Integer>> registrations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Api node = i % 2 == 0 ? a : b;
            registrations.add(() -> node.post("/api/v1/mcps", registration(slug)).status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> status : pool.invokeAll(registrations)) {
                statuses.add(status.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(19);
    }

    @Test
    void aTokenFromOneNodeWorksOnTheOtherAndARevocationOnOneReachesTheOtherWithinOneSecond() throws Exception {
        // a node trusts what it read from the credential store for at most 0.5 s
        Api.Response created = a.post("/api/v1/auth/api-keys", Map.of("name", "two nodes"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String key = Secrets.remember(created.json().get("key").asText());
        int portB = Integer.parseInt(nodes.get(1).getEnvironment().getProperty("local.server.port"));
        Api keyOnB = Api.anonymous(portB).as(key);
        assertThat(keyOnB.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(b.get("/api/v1/auth/me").status()).as("the admin's token issued by node B").isEqualTo(200);

        assertThat(a.delete("/api/v1/auth/api-keys/" + created.json().get("id").asText()).status()).isEqualTo(204);
        Thread.sleep(1_000);
        assertThat(keyOnB.get("/api/v1/auth/me").status()).isEqualTo(401);
    }
}
