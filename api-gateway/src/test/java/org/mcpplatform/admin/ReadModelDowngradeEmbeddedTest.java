package org.mcpplatform.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.projection.RebuildableProjection;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.EmbeddedPlatform;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The operators' downgrade procedure end to end on the embedded default, as README describes it: stop the platform,
 * run {@code downgrade-read-model --target=4}, start the platform again; the read models come back from the events
 * row for row. (The platform started afterwards is this version, which migrates up again; a release whose migrations
 * end at version 4 would stay there, which ReadModelDowngradePropertiesTest checks against a fresh database.)
 */
class ReadModelDowngradeEmbeddedTest {

    @TempDir
    Path dataDir;

    // Property 53: Migration Downgrade Support
    @Test
    void droppingTheProjectionsMigratingToTheTargetAndRebuildingFromTheEventsGivesBackTheSameReadModel()
            throws Exception {
        List<Map<String, Object>> tools;
        List<Map<String, Object>> users;
        List<Map<String, Object>> keys;
        JsonNode list;
        try (ConfigurableApplicationContext platform = EmbeddedPlatform.start(dataDir)) {
            Api api = api(platform);
            for (int i = 0; i < 20; i++) {
                String id = api.post("/api/v1/mcps", registration(uniqueSlug("downgrade"))).json().get("id").asText();
                assertThat(api.patch("/api/v1/mcps/" + id, "{\"status\": \"active\", \"version\": \"1." + i + ".0\"}")
                              .status()).isEqualTo(200);
            }
            Accounts.Account developer = Accounts.create(port(platform), "developer");
            assertThat(developer.api().post("/api/v1/auth/api-keys", Map.of("name", "ci")).status()).isEqualTo(201);
            awaitCaughtUp(api);
            JdbcTemplate jdbc = platform.getBean(JdbcTemplate.class);
            tools = jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id");
            users = jdbc.queryForList("SELECT * FROM users ORDER BY id");
            keys = jdbc.queryForList("SELECT * FROM api_keys ORDER BY id");
            list = api.get("/api/v1/mcps?page_size=100&sort=slug,asc").json();
            assertThat(projections(platform)).as("the command knows every rebuildable read model")
                                             .isEqualTo(new TreeMap<>(ReadModelDowngradeCommand.PROJECTIONS));
        }

        String[] database = {"--spring.datasource.url=" + EmbeddedPlatform.readModelUrl(dataDir),
                "--spring.datasource.username=sa", "--spring.datasource.password="};
        assertThat(command()).as("no target: usage").startsWith("2 usage:");
        assertThat(command(with(database, "--list"))).startsWith("0 applied read-model migrations: 1, 2, 3, 4, 5");
        assertThat(command(with(database, "--target=42"))).startsWith("1 Version 42 is not applied");
        String downgraded = command(with(database, "--target=4"));
        assertThat(downgraded).startsWith("0 read model taken from version ").contains(" back to 4")
                              .contains("mcp_tools").contains("mcp_usage_stats");

        JdbcTemplate readModel = new JdbcTemplate(new DriverManagerDataSource(EmbeddedPlatform.readModelUrl(dataDir),
                                                                              "sa", ""));
        assertThat(readModel.queryForList("SELECT version FROM flyway_schema_history ORDER BY installed_rank",
                                          String.class)).containsExactly("1", "2", "3", "4");
        assertThat(readModel.queryForObject("SELECT COUNT(*) FROM mcp_tools", Integer.class)).isZero();
        assertThat(readModel.queryForObject("SELECT COUNT(*) FROM users", Integer.class)).isZero();
        assertThat(readModel.queryForObject("SELECT COUNT(*) FROM information_schema.tables"
                                                    + " WHERE table_name IN ('mcp_deployments', 'scheduled_tasks')",
                                            Integer.class)).as("tables of later versions").isZero();
        assertThat(readModel.queryForList("SELECT processor_name FROM token_entry", String.class))
                .as("the projections start from the first event; the saga where it was")
                .doesNotContain("tool-projection", "user-projection").contains("DeploymentSagaProcessor");

        try (ConfigurableApplicationContext platform = EmbeddedPlatform.start(dataDir)) {
            Api api = api(platform);
            awaitCaughtUp(api);
            JdbcTemplate jdbc = platform.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id")).isEqualTo(tools);
            assertThat(jdbc.queryForList("SELECT * FROM users ORDER BY id")).isEqualTo(users);
            assertThat(jdbc.queryForList("SELECT * FROM api_keys ORDER BY id")).isEqualTo(keys);
            assertThat(api.get("/api/v1/mcps?page_size=100&sort=slug,asc").json()).isEqualTo(list);
        }
    }

    private static String[] with(String[] settings, String argument) {
        String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
        all[settings.length] = argument;
        return all;
    }

    /** The command's exit status and output. */
    private static String command(String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = ReadModelDowngradeCommand.run(new PrintStream(output, true, StandardCharsets.UTF_8), args);
        return status + " " + output.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> projections(ConfigurableApplicationContext platform) {
        Map<String, List<String>> projections = new TreeMap<>();
        platform.getBeansOfType(RebuildableProjection.class).values()
                .forEach(projection -> projections.put(projection.processingGroup(), projection.tables()));
        return projections;
    }

    private static Api api(ConfigurableApplicationContext platform) {
        return new Api(port(platform));
    }

    private static int port(ConfigurableApplicationContext platform) {
        return ((WebServerApplicationContext) platform).getWebServer().getPort();
    }

    private static void awaitCaughtUp(Api api) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonNode processors = api.get("/api/v1/admin/processors").json();
            boolean caughtUp = true;
            for (JsonNode processor : processors) {
                if (List.of("tool-projection", "user-projection").contains(processor.get("name").asText())) {
                    caughtUp &= processor.get("lag").asLong(-1) == 0;
                }
            }
            if (caughtUp) {
                return;
            }
            assertThat(System.nanoTime()).as("the projections catch up: " + processors).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
