package org.mcpplatform.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformNodes;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * A rebuild on two nodes sharing the event store, the read-model database (and with it the token store) and Redis:
 * asked of the node that does not run the live tool projection, it still runs (on whichever node claims the rebuild's
 * segment), both nodes show its progress and tell their own admin:broadcast listeners, both keep serving complete
 * lists, and the swap pauses the live projection wherever it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionRebuildTwoNodeTest {

    private static final String TOOLS = "tool-projection";

    @Configuration(proxyBeanMethods = false)
    static class NoticeListener {
        @Bean
        ProjectionRebuildApiTest.AdminNotices adminNotices() {
            return new ProjectionRebuildApiTest.AdminNotices();
        }
    }

    private PlatformNodes platform;
    private List<ConfigurableApplicationContext> nodes;

    @BeforeAll
    void startTwoNodes() {
        platform = PlatformNodes.start(2, List.of(McpPlatformApplication.class, NoticeListener.class),
                                       node -> List.of("--mcp.deployments.run-servers=false",
                                                       "--mcp.projection.rebuild-batch-size=2",
                                                       "--mcp.projection.rebuild-tick=250ms"));
        nodes = List.of(platform.node(0), platform.node(1));
    }

    @AfterAll
    void stopNodes() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aRebuildAskedOfTheNodeWithoutTheLiveProjectionRunsAndBothNodesShowAndTellIt() throws Exception {
        Api a = api(nodes.get(0));
        Api b = api(nodes.get(1));
        for (int i = 0; i < 150; i++) {
            Api node = i % 2 == 0 ? a : b;
            String id = node.post("/api/v1/mcps", registration(uniqueSlug("two-node-rebuild"))).json()
                            .get("id").asText();
            assertThat(node.patch("/api/v1/mcps/" + id, "{\"version\": \"3." + i + ".0\"}").status()).isEqualTo(200);
        }
        JdbcTemplate jdbc = nodes.get(0).getBean(JdbcTemplate.class);
        awaitCaughtUp(List.of(a, b));
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id");
        List<JsonNode> list = page(a);
        assertThat(page(b)).isEqualTo(list);

        Api owner = segmentClaimed(a) ? a : b;
        Api other = owner == a ? b : a;
        assertThat(segmentClaimed(other)).as("one node runs the live tool projection").isFalse();
        Api.Response started = other.post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        assertThat(owner.post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}").status())
                .as("the running rebuild is seen from the other node too").isEqualTo(409);

        boolean bothShowedProgress = false;
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
            JsonNode onOwner = processor(owner);
            JsonNode onOther = processor(other);
            String phase = onOther.get("rebuild").get("phase").asText();
            if (phase.equals("done") || phase.equals("failed")) {
                assertThat(phase).as(onOther.toString()).isEqualTo("done");
                break;
            }
            if (onOwner.get("replaying").asBoolean() && onOther.get("replaying").asBoolean()
                    && onOwner.get("progress").isObject() && onOther.get("progress").isObject()) {
                bothShowedProgress = true;
            }
            assertThat(page(a)).as("node A while " + phase).isEqualTo(list);
            assertThat(page(b)).as("node B while " + phase).isEqualTo(list);
            assertThat(System.nanoTime()).as("the rebuild ends: " + onOther).isLessThan(deadline);
        }
        assertThat(bothShowedProgress).as("both nodes showed the rebuild's progress").isTrue();
        assertThat(jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id")).isEqualTo(rows);
        assertThat(processor(owner).get("rebuild").get("phase").asText()).isEqualTo("done");

        // the live projection goes on, on whichever node claims it now
        String later = a.post("/api/v1/mcps", registration(uniqueSlug("two-node-later"))).json().get("id").asText();
        assertThat(b.get("/api/v1/mcps/" + later).status()).isEqualTo(200);
        awaitCaughtUp(List.of(a, b));

        for (ConfigurableApplicationContext node : nodes) {
            ProjectionRebuildApiTest.AdminNotices notices = node.getBean(ProjectionRebuildApiTest.AdminNotices.class);
            long deadlineForNotices = System.nanoTime() + 10_000_000_000L;
            while (notices.of(RebuildNotices.REBUILT, TOOLS).isEmpty() && System.nanoTime() < deadlineForNotices) {
                Thread.sleep(50);
            }
            assertThat(notices.of(RebuildNotices.PROGRESS, TOOLS)).as("progress on every node").isNotEmpty();
            assertThat(notices.of(RebuildNotices.REBUILT, TOOLS)).as("the end, once on every node").hasSize(1);
        }
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static List<JsonNode> page(Api api) {
        Api.Response response = api.get("/api/v1/mcps?page_size=100&sort=slug,asc&page=2");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("items").forEach(items::add);
        items.add(response.json().get("total"));
        return items;
    }

    private static JsonNode processor(Api api) {
        for (JsonNode processor : api.get("/api/v1/admin/processors").json()) {
            if (processor.get("name").asText().equals(TOOLS)) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + TOOLS);
    }

    private static boolean segmentClaimed(Api api) {
        return processor(api).get("segments").get(0).get("claimed").asBoolean();
    }

    /** The node holding the live segment reports lag 0 (the other knows no position of its own). */
    private static void awaitCaughtUp(List<Api> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (nodes.stream().noneMatch(node -> processor(node).get("lag").asLong(-1) == 0)) {
            assertThat(System.nanoTime()).as("the tool projection catches up").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
