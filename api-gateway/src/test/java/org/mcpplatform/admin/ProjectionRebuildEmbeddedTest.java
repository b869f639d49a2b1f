package org.mcpplatform.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.EmbeddedPlatform;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * Rebuilds on the embedded default a fresh `java -jar` runs with (H2 in MySQL mode under the data directory, no
 * Redis): H2 has neither CREATE TABLE ... LIKE nor a multi-table RENAME, so its shadow tables and swap take another
 * path, which must give the same result, leave the index and constraint names as the migrations made them, and
 * survive a restart.
 */
class ProjectionRebuildEmbeddedTest {

    @TempDir
    Path dataDir;

    @Test
    void theToolAndUserProjectionsAreRebuiltOnTheEmbeddedDatabaseAndTheRebuiltTablesOutliveARestart()
            throws Exception {
        List<Map<String, Object>> tools;
        List<JsonNode> list;
        List<String> indexNames;
        try (ConfigurableApplicationContext platform = start()) {
            Api api = api(platform);
            JdbcTemplate jdbc = platform.getBean(JdbcTemplate.class);
            for (int i = 0; i < 60; i++) {
                String id = api.post("/api/v1/mcps", registration(uniqueSlug("h2-rebuild"))).json().get("id").asText();
                assertThat(api.patch("/api/v1/mcps/" + id, "{\"version\": \"2." + i + ".0\"}").status())
                        .isEqualTo(200);
            }
            tools = jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id");
            list = page(api);
            indexNames = names(jdbc, "mcp_tools");
            List<Map<String, Object>> users = jdbc.queryForList("SELECT * FROM users ORDER BY id");

            for (int round = 1; round <= 2; round++) {
                Api.Response started = api.post("/api/v1/admin/processors/tool-projection/rebuild", "{}");
                assertThat(started.status()).as(started.text()).isEqualTo(202);
                int reads = 0;
                JsonNode processor;
                while (!List.of("done", "failed").contains(
                        (processor = processor(api, "tool-projection")).get("rebuild").get("phase").asText())) {
                    assertThat(page(api)).as("round %d, read %d", round, reads).isEqualTo(list);
                    reads++;
                    assertThat(reads).as("the rebuild ends: " + processor).isLessThan(5_000);
                }
                assertThat(processor.get("rebuild").get("phase").asText()).as(processor.toString()).isEqualTo("done");
                assertThat(jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id")).as("round %d", round)
                                                                                       .isEqualTo(tools);
                assertThat(page(api)).isEqualTo(list);
                assertThat(names(jdbc, "mcp_tools")).as("the migrations' names, round %d", round)
                                                    .isEqualTo(indexNames);
                assertThat(tables(jdbc)).doesNotContain("mcp_tools__rebuild", "mcp_tools__old");
            }

            assertThat(api.post("/api/v1/admin/processors/user-projection/rebuild", "{}").status()).isEqualTo(202);
            JsonNode users2;
            while (!List.of("done", "failed").contains(
                    (users2 = processor(api, "user-projection")).get("rebuild").get("phase").asText())) {
                Thread.sleep(50);
            }
            assertThat(users2.get("rebuild").get("phase").asText()).as(users2.toString()).isEqualTo("done");
            assertThat(jdbc.queryForList("SELECT * FROM users ORDER BY id")).isEqualTo(users);
            assertThat(tables(jdbc)).doesNotContain("users__rebuild", "users__old", "api_keys__rebuild",
                                                    "api_keys__old");

            // the live projection goes on after the swap
            String later = api.post("/api/v1/mcps", registration(uniqueSlug("h2-later"))).json().get("id").asText();
            assertThat(api.get("/api/v1/mcps/" + later).status()).isEqualTo(200);
            tools = jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id");
            list = page(api);
        }

        try (ConfigurableApplicationContext restarted = start()) {
            Api api = api(restarted);
            assertThat(restarted.getBean(JdbcTemplate.class).queryForList("SELECT * FROM mcp_tools ORDER BY id"))
                    .isEqualTo(tools);
            assertThat(page(api)).isEqualTo(list);
            assertThat(processor(api, "tool-projection").get("rebuild").get("phase").asText()).isEqualTo("done");
        }
    }

    private ConfigurableApplicationContext start() {
        return EmbeddedPlatform.start(dataDir, "--mcp.projection.rebuild-batch-size=3",
                                      "--mcp.projection.rebuild-tick=200ms");
    }

    private static Api api(ConfigurableApplicationContext platform) {
        return new Api(((WebServerApplicationContext) platform).getWebServer().getPort());
    }

    private static List<JsonNode> page(Api api) {
        Api.Response response = api.get("/api/v1/mcps?page_size=100&sort=slug,asc");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("items").forEach(items::add);
        return items;
    }

    private static JsonNode processor(Api api, String name) {
        for (JsonNode processor : api.get("/api/v1/admin/processors").json()) {
            if (processor.get("name").asText().equals(name)) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + name);
    }

    /** The table's index and constraint names. */
    private static List<String> names(JdbcTemplate jdbc, String table) {
        List<String> names = new ArrayList<>(jdbc.queryForList(
                "SELECT index_name FROM information_schema.indexes WHERE table_name = ? AND index_type_name = 'INDEX'"
                        + " ORDER BY index_name", String.class, table));
        names.addAll(jdbc.queryForList("SELECT constraint_name FROM information_schema.table_constraints"
                                               + " WHERE table_name = ? ORDER BY constraint_name",
                                       String.class, table));
        return names;
    }

    private static List<String> tables(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = CURRENT_SCHEMA",
                                 String.class);
    }
}
