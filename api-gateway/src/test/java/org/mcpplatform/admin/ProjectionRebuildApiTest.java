package org.mcpplatform.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.live.AdminNotice;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.LiveClient;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.tool.ToolProjection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * POST /api/v1/admin/processors/{name}/rebuild on the whole platform against MariaDB and Redis: the live read model
 * answers every query completely while the rebuild fills its shadow tables, the rebuilt table equals the old one row
 * for row, progress shows in GET /processors and in admin notices, and refusals come with their status.
 * <p>
 * Rebuilds run with batches of one event here, so that one lasts long enough to be watched; the whole table is
 * compared, so the class has a context (and database) of its own.
 */
@PlatformTest
@TestPropertySource(properties = {"mcp.projection.rebuild-batch-size=1", "mcp.projection.rebuild-tick=250ms"})
class ProjectionRebuildApiTest {

    private static final String TOOLS = ToolProjection.PROCESSING_GROUP;
    private static final Duration LONG_ENOUGH = Duration.ofSeconds(90);

    /** What the platform publishes for admin:broadcast subscribers. */
    public static class AdminNotices {

        final List<AdminNotice> received = new CopyOnWriteArrayList<>();

        @EventListener
        public void on(AdminNotice notice) {
            received.add(notice);
        }

        List<AdminNotice> of(String type, String processor) {
            return received.stream().filter(notice -> notice.type().equals(type)
                    && processor.equals(notice.payload().get("processor"))).toList();
        }
    }

    @TestConfiguration
    static class NoticeListener {
        @Bean
        AdminNotices adminNotices() {
            return new AdminNotices();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AdminNotices notices;

    // ---- the rebuild under load ---------------------------------------------------------------------------------

    @Test
    void whileTheToolProjectionIsRebuiltEveryListIsCompleteAndAfterwardsTheTableIsTheSameRowForRow() throws Exception {
        Api api = new Api(port);
        seedTools(api, 240);
        awaitCaughtUp(api, TOOLS);
        List<Map<String, Object>> rowsBefore = rows("mcp_tools");
        List<JsonNode> listBefore = everyPage(api);
        assertThat(listBefore).hasSize((int) rowsBefore.stream().filter(row -> row.get("deleted_at") == null).count());
        notices.received.clear();

        Api.Response started = api.post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        assertThat(started.json().get("name").asText()).isEqualTo(TOOLS);
        assertThat(started.json().get("replaying").asBoolean()).isTrue();
        assertThat(started.json().get("rebuild").get("phase").asText()).isEqualTo("rebuilding");
        assertThat(started.json().get("progress").get("total").asLong()).isPositive();

        Api.Response again = api.post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}");
        assertThat(again.status()).as("one rebuild at a time: " + again.text()).isEqualTo(409);
        assertThat(again.json().get("error").get("code").asText()).isEqualTo("REBUILD_RUNNING");

        int listsReadWhileRebuilding = 0;
        List<JsonNode> progressSeen = new ArrayList<>();
        long deadline = System.nanoTime() + LONG_ENOUGH.toNanos();
        while (true) {
            JsonNode processor = processor(api, TOOLS);
            String phase = processor.get("rebuild").get("phase").asText();
            if (phase.equals("done") || phase.equals("failed")) {
                assertThat(phase).as(processor.toString()).isEqualTo("done");
                assertThat(processor.get("replaying").asBoolean()).isFalse();
                assertThat(processor.get("progress").isNull()).isTrue();
                break;
            }
            assertThat(processor.get("replaying").asBoolean()).as(processor.toString()).isTrue();
            progressSeen.add(processor.get("progress"));
            assertThat(everyPage(api)).as("every tool, as before, while the rebuild is " + phase)
                                      .isEqualTo(listBefore);
            listsReadWhileRebuilding++;
            assertThat(System.nanoTime()).as("the rebuild ends; last seen: " + processor).isLessThan(deadline);
        }
        assertThat(listsReadWhileRebuilding).as("lists read during the rebuild").isGreaterThan(3);
        assertThat(progressSeen).allSatisfy(progress -> {
            assertThat(progress.get("total").asLong()).isPositive();
            assertThat(progress.get("done").asLong()).isBetween(0L, progress.get("total").asLong());
        });
        assertThat(progressSeen.stream().map(progress -> progress.get("done").asLong()).distinct().count())
                .as("the progress moves: %s", progressSeen).isGreaterThan(1);
        assertThat(progressSeen).as("a measured pace and estimate")
                                .anySatisfy(progress -> {
                                    assertThat(progress.get("events_per_second").asDouble()).isPositive();
                                    assertThat(progress.get("eta_seconds").isNumber()).isTrue();
                                });

        assertThat(rows("mcp_tools")).as("the rebuilt table").isEqualTo(rowsBefore);
        assertThat(everyPage(api)).isEqualTo(listBefore);
        assertThat(tablesLike("mcp_tools%")).as("the shadow and the old table are gone").containsExactly("mcp_tools");

        // the live projection goes on from where the rebuild stopped
        String later = api.post("/api/v1/mcps", registration(uniqueSlug("after-rebuild"))).json().get("id").asText();
        assertThat(api.get("/api/v1/mcps/" + later).status()).isEqualTo(200);
        awaitCaughtUp(api, TOOLS);
        assertThat(rows("mcp_tools")).hasSize(rowsBefore.size() + 1);

        List<AdminNotice> progress = await(() -> notices.of(RebuildNotices.PROGRESS, TOOLS), list -> !list.isEmpty(),
                                           "progress notices");
        assertThat(progress.get(0).payload()).containsKeys("processor", "done", "total", "events_per_second",
                                                           "eta_seconds", "phase");
        assertThat(progress).extracting(notice -> notice.payload().get("phase"))
                            .allMatch(phase -> List.of("preparing", "rebuilding", "swapping").contains(phase));
        List<AdminNotice> rebuilt = await(() -> notices.of(RebuildNotices.REBUILT, TOOLS), list -> !list.isEmpty(),
                                          "the end notice");
        assertThat(rebuilt).hasSize(1);
        assertThat(rebuilt.get(0).payload()).containsEntry("phase", "done").containsKeys("done", "total");
        assertThat(notices.of(RebuildNotices.FAILED, TOOLS)).isEmpty();
    }

    @Test
    void theUserProjectionIsRebuiltTheSameWayBothTablesAtOnceAndSoIsTheDeploymentProjection() throws Exception {
        Api api = new Api(port);
        for (int i = 0; i < 3; i++) {
            Accounts.Account account = Accounts.create(port, "developer");
            assertThat(account.api().post("/api/v1/auth/api-keys", Map.of("name", "key " + i)).status())
                    .isEqualTo(201);
        }
        awaitCaughtUp(api, "user-projection");
        List<Map<String, Object>> users = rows("users");
        List<Map<String, Object>> keys = rows("api_keys");

        Api.Response started = api.post("/api/v1/admin/processors/user-projection/rebuild", "{}");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        JsonNode ended = awaitRebuildEnd(api, "user-projection");
        assertThat(ended.get("rebuild").get("phase").asText()).as(ended.toString()).isEqualTo("done");

        assertThat(rows("users")).isEqualTo(users);
        assertThat(rows("api_keys")).isEqualTo(keys);
        assertThat(tablesLike("users%")).containsExactly("users");
        assertThat(tablesLike("api_keys%")).containsExactly("api_keys");

        List<Map<String, Object>> deployments = rows("mcp_deployments");
        // an operator following admin:broadcast over the WebSocket watches it happen
        try (LiveClient operator = LiveClient.webSocket(port, api.adminToken())) {
            operator.awaitType("authenticated", Duration.ofSeconds(10));
            assertThat(api.post("/api/v1/admin/processors/deployment-projection/rebuild", "{}").status())
                    .isEqualTo(202);
            assertThat(awaitRebuildEnd(api, "deployment-projection").get("rebuild").get("phase").asText())
                    .isEqualTo("done");
            JsonNode rebuilt = operator.await(message -> "ProjectionRebuilt".equals(message.path("type").asText())
                    && "deployment-projection".equals(message.at("/payload/processor").asText()),
                                              Duration.ofSeconds(10));
            assertThat(rebuilt.get("topic").asText()).isEqualTo("admin:broadcast");
        }
        assertThat(rows("mcp_deployments")).isEqualTo(deployments);
        assertThat(tablesLike("mcp_deployments%")).containsExactly("mcp_deployments");
    }

    // ---- a rebuild that fails -----------------------------------------------------------------------------------

    @Test
    void aRebuildThatCannotWriteItsShadowTableFailsAndTheLiveReadModelGoesOnUntouched() throws Exception {
        Api api = new Api(port);
        seedTools(api, 30);
        awaitCaughtUp(api, TOOLS);
        List<Map<String, Object>> rowsBefore = rows("mcp_tools");
        notices.received.clear();

        assertThat(api.post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}").status()).isEqualTo(202);
        jdbc.execute("DROP TABLE mcp_tools__rebuild");
        JsonNode ended = awaitRebuildEnd(api, TOOLS);

        JsonNode rebuild = ended.get("rebuild");
        assertThat(rebuild.get("phase").asText()).as(ended.toString()).isEqualTo("failed");
        assertThat(rebuild.get("error").asText()).contains("mcp_tools__rebuild");
        assertThat(rebuild.get("finished_at").isNull()).isFalse();
        assertThat(ended.get("replaying").asBoolean()).isFalse();
        assertThat(ended.get("status").asText()).isEqualTo("running");
        assertThat(rows("mcp_tools")).isEqualTo(rowsBefore);
        assertThat(tablesLike("mcp_tools%")).containsExactly("mcp_tools");

        List<AdminNotice> failed = await(() -> notices.of(RebuildNotices.FAILED, TOOLS), list -> !list.isEmpty(),
                                         "the failure notice");
        assertThat(failed).hasSize(1);
        assertThat((String) failed.get(0).payload().get("reason")).contains("mcp_tools__rebuild");
        assertThat(notices.of(RebuildNotices.REBUILT, TOOLS)).isEmpty();

        String later = api.post("/api/v1/mcps", registration(uniqueSlug("after-failure"))).json().get("id").asText();
        assertThat(api.get("/api/v1/mcps/" + later).status()).isEqualTo(200);
        awaitCaughtUp(api, TOOLS);
        assertThat(rows("mcp_tools")).hasSize(rowsBefore.size() + 1);

        // and a failed rebuild can be asked for again
        assertThat(api.post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}").status()).isEqualTo(202);
        assertThat(awaitRebuildEnd(api, TOOLS).get("rebuild").get("phase").asText()).isEqualTo("done");
    }

    // ---- refusals -----------------------------------------------------------------------------------------------

    @Test
    void onlyAdministratorsRebuild() {
        Api developer = Accounts.create(port, "developer").api();
        Api.Response refused = developer.post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(Api.anonymous(port).post("/api/v1/admin/processors/" + TOOLS + "/rebuild", "{}").status())
                .isEqualTo(401);
    }

    @Test
    void anUnknownProcessorIsNotFoundAndTheDeploymentSagaIsNotRebuildable() {
        Api api = new Api(port);
        Api.Response missing = api.post("/api/v1/admin/processors/no-such-processor/rebuild", "{}");
        assertThat(missing.status()).as(missing.text()).isEqualTo(404);
        assertThat(missing.json().get("error").get("details").get("resource_id").asText())
                .isEqualTo("no-such-processor");

        Api.Response saga = api.post("/api/v1/admin/processors/DeploymentSagaProcessor/rebuild", "{}");
        assertThat(saga.status()).as(saga.text()).isEqualTo(409);
        assertThat(saga.json().get("error").get("code").asText()).isEqualTo("NOT_REBUILDABLE");
        assertThat(processor(api, "DeploymentSagaProcessor").get("rebuild").isNull()).isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * {@code count} tools, each registered and updated, every third one activated, and one deleted: about three
     * events per tool.
     */
    private static void seedTools(Api api, int count) throws Exception {
        List<Callable<Void>> work = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            work.add(() -> {
                Api.Response created = api.post("/api/v1/mcps", registration(uniqueSlug("rebuild-" + n)));
                assertThat(created.status()).as(created.text()).isEqualTo(201);
                String path = "/api/v1/mcps/" + created.json().get("id").asText();
                assertThat(api.patch(path, "{\"description\": \"updated " + n + "\", \"version\": \"1." + n + ".0\"}")
                              .status()).isEqualTo(200);
                if (n % 3 == 0) {
                    assertThat(api.patch(path, "{\"status\": \"active\"}").status()).isEqualTo(200);
                }
                if (n == count - 1) {
                    assertThat(api.delete(path).status()).isEqualTo(204);
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Void> done : pool.invokeAll(work)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Every page of GET /api/v1/mcps, 100 a page, in slug order. */
    private static List<JsonNode> everyPage(Api api) {
        List<JsonNode> items = new ArrayList<>();
        for (int page = 1; ; page++) {
            Api.Response response = api.get("/api/v1/mcps?page_size=100&sort=slug,asc&page=" + page);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            response.json().get("items").forEach(items::add);
            if (page >= response.json().get("pages").asInt()) {
                assertThat(items).hasSize(response.json().get("total").asInt());
                return items;
            }
        }
    }

    private List<Map<String, Object>> rows(String table) {
        return jdbc.queryForList("SELECT * FROM " + table + " ORDER BY id");
    }

    private List<String> tablesLike(String pattern) {
        return jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
                                         + " AND table_name LIKE ? ORDER BY table_name", String.class,
                                 pattern.replace("_", "\\_"));
    }

    private static JsonNode processor(Api api, String name) {
        Api.Response response = api.get("/api/v1/admin/processors");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        for (JsonNode processor : response.json()) {
            if (processor.get("name").asText().equals(name)) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + name + " in " + response.text());
    }

    private static void awaitCaughtUp(Api api, String name) throws InterruptedException {
        await(() -> processor(api, name), processor -> processor.get("lag").asLong(-1) == 0,
              name + " catches up with the head");
    }

    private static JsonNode awaitRebuildEnd(Api api, String name) throws InterruptedException {
        return await(() -> processor(api, name), processor -> {
            JsonNode rebuild = processor.get("rebuild");
            return rebuild.isObject() && List.of("done", "failed").contains(rebuild.get("phase").asText());
        }, "the rebuild of " + name + " ends");
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LONG_ENOUGH.toNanos();
        T last = read.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as(what + "; last read: " + last).isLessThan(deadline);
            Thread.sleep(50);
            last = read.get();
        }
        return last;
    }
}
