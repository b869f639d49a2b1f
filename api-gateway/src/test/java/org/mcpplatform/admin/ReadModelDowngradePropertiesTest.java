package org.mcpplatform.admin;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.mcpplatform.projection.ReadModelDowngrade;
import org.mcpplatform.support.TestServices;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * The read-model downgrade on MariaDB, quantified over every applied migration as the target and over what the
 * database holds: afterwards the schema is exactly what a fresh database migrated to the target has, the projections'
 * tables are empty (their processors have no token, so the platform fills them from the events), and every row the
 * events cannot give back is still there.
 */
class ReadModelDowngradePropertiesTest {

    /** Tables whose rows are not derived from events, with the column that orders their rows. */
    private static final Map<String, String> KEPT = new LinkedHashMap<>();

    static {
        KEPT.put("token_entry", "processor_name, segment");
        KEPT.put("dead_letter_entry", "dead_letter_id");
        KEPT.put("mcp_usage_stats", "id");
        KEPT.put("scheduled_tasks", "task_name, task_instance");
    }

    private static final Set<String> PROJECTION_PROCESSORS = Set.of("tool-projection", "tool-projection__rebuild",
                                                                    "user-projection", "deployment-projection");

    // Property 53: Migration Downgrade Support
    @Test
    void downgradingToAnyAppliedVersionGivesThatVersionsSchemaEmptyProjectionsAndKeepsEverythingElse() {
        List<String> versions = latestVersions();
        assertThat(versions).as("the migrations").hasSizeGreaterThanOrEqualTo(8);
        qt().withExamples(12).withShrinkCycles(0)
            .forAll(integers().between(0, versions.size() - 1), integers().between(0, 25))
            .checkAssert((targetIndex, usageRows) -> {
                String target = versions.get(targetIndex);
                Database downgraded = Database.fresh();
                Database reference = Database.fresh();
                try {
                    ReadModelDowngrade.migrate(downgraded.dataSource, MigrationVersion.LATEST);
                    seed(downgraded.jdbc, usageRows);
                    Map<String, List<Map<String, Object>>> kept = new LinkedHashMap<>();
                    KEPT.forEach((table, order) -> kept.put(table, downgraded.rows(table, order)));

                    ReadModelDowngrade downgrade = new ReadModelDowngrade(downgraded.dataSource,
                                                                          ReadModelDowngradeCommand.PROJECTIONS);
                    ReadModelDowngrade.Result result = downgrade.downgradeTo(target);
                    ReadModelDowngrade.migrate(reference.dataSource, MigrationVersion.fromVersion(target));

                    assertThat(downgrade.appliedVersions()).as("target %s", target)
                                                           .isEqualTo(versions.subList(0, targetIndex + 1));
                    assertThat(downgraded.schema()).as("the schema at version %s", target)
                                                   .isEqualTo(reference.schema());
                    for (String projectionTable : List.of("mcp_tools", "users", "api_keys", "mcp_deployments",
                                                          "projection_rebuilds")) {
                        if (downgraded.has(projectionTable)) {
                            assertThat(downgraded.rows(projectionTable, "1")).as(projectionTable).isEmpty();
                        }
                    }
                    KEPT.forEach((table, order) -> {
                        if (!reference.has(table)) {
                            assertThat(result.lost()).as("version %s has no %s", target, table).contains(table);
                            return;
                        }
                        Predicate<Map<String, Object>> derived = row -> PROJECTION_PROCESSORS.contains(
                                String.valueOf(row.getOrDefault("processor_name", row.get("processing_group"))));
                        List<Map<String, Object>> expected = kept.get(table).stream().filter(derived.negate())
                                                                 .toList();
                        assertThat(downgraded.rows(table, order)).as("%s at version %s", table, target)
                                                                 .isEqualTo(expected);
                    });
                    if (downgraded.has("token_entry")) {
                        assertThat(downgraded.rows("token_entry", "processor_name"))
                                .as("the saga's token is kept: it must not replay and act again")
                                .anyMatch(row -> row.get("processor_name").equals("DeploymentSagaProcessor"));
                    }
                } finally {
                    downgraded.drop();
                    reference.drop();
                }
            });
    }

    @Test
    void aVersionThatIsNotAppliedIsRefusedAndNothingChanges() {
        Database database = Database.fresh();
        try {
            ReadModelDowngrade.migrate(database.dataSource, MigrationVersion.fromVersion("3"));
            Map<String, List<Map<String, Object>>> schema = database.schema();
            ReadModelDowngrade downgrade = new ReadModelDowngrade(database.dataSource,
                                                                  ReadModelDowngradeCommand.PROJECTIONS);
            for (String notApplied : List.of("4", "99", "0")) {
                try {
                    downgrade.downgradeTo(notApplied);
                    throw new AssertionError("downgrading to " + notApplied + " was accepted");
                } catch (IllegalArgumentException refused) {
                    assertThat(refused.getMessage()).contains(notApplied).contains("[1, 2, 3]");
                }
            }
            assertThat(database.schema()).isEqualTo(schema);

            // a failed migration whose rollback the platform has not finished: the schema is not the history's
            database.jdbc.update("INSERT INTO flyway_rollback_journal (run_id, script, version, objects)"
                                         + " VALUES ('run', 'V3__axon_dead_letters.sql', '3', '[]')");
            try {
                downgrade.downgradeTo("2");
                throw new AssertionError("a downgrade during a pending rollback was accepted");
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).contains("flyway_rollback_journal");
            }
            assertThat(database.schema()).isEqualTo(schema);
        } finally {
            database.drop();
        }
    }

    /** Rows of every kind: the saga's and the projections' tokens, dead letters, usage, a deadline, read models. */
    private static void seed(JdbcTemplate jdbc, int usageRows) {
        for (String processor : List.of("DeploymentSagaProcessor", "tool-projection", "tool-projection__rebuild",
                                        "user-projection")) {
            jdbc.update("INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp, owner)"
                                + " VALUES (?, 0, ?, 'GapAwareTrackingToken', '2026-11-25T10:00:00Z', NULL)",
                        processor, ("{\"index\":" + processor.length() + "}").getBytes());
        }
        for (String group : List.of("tool-projection", "some-other-group")) {
            jdbc.update("INSERT INTO dead_letter_entry (dead_letter_id, processing_group, sequence_identifier,"
                                + " sequence_index, message_type, event_identifier, time_stamp, payload_type, payload,"
                                + " enqueued_at) VALUES (?, ?, 'seq', 0, 'DomainEventMessage', ?, '2026-11-25', 'T',"
                                + " ?, '2026-11-25')",
                        UUID.randomUUID().toString(), group, UUID.randomUUID().toString(), "{}".getBytes());
        }
        for (int i = 0; i < usageRows; i++) {
            jdbc.update("INSERT INTO mcp_usage_stats (tool_id, method, status, http_status, response_time_us,"
                                + " created_at) VALUES (?, 'tools/call', 'ok', 200, ?, ?)",
                        UUID.randomUUID().toString(), 100 + i, LocalDateTime.of(2026, 11, 25, 10, 0, i % 60));
        }
        jdbc.update("INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                            + " VALUES ('deadline', 'restart-1', ?, FALSE, 1)", LocalDateTime.of(2026, 11, 26, 0, 0));
        jdbc.update("INSERT INTO mcp_tools (id, name, slug, version, config, author_id, status, revision, created_at,"
                            + " updated_at) VALUES (?, 'T', ?, '1.0.0', '{}', ?, 'draft', 1, ?, ?)",
                    UUID.randomUUID().toString(), "slug-" + UUID.randomUUID(), UUID.randomUUID().toString(),
                    LocalDateTime.now(), LocalDateTime.now());
        jdbc.update("INSERT INTO users (id, username, username_key, email, email_key, role, is_active, created_at,"
                            + " updated_at) VALUES (?, 'u', 'u', 'u@x', 'u@x', 'viewer', TRUE, ?, ?)",
                    UUID.randomUUID().toString(), LocalDateTime.now(), LocalDateTime.now());
        jdbc.update("INSERT INTO projection_rebuilds (processor_name, rebuild_id, phase, started_at, updated_at)"
                            + " VALUES ('tool-projection', ?, 'done', ?, ?)", UUID.randomUUID().toString(),
                    LocalDateTime.now(), LocalDateTime.now());
    }

    /** The versions a fresh database gets, oldest first. */
    private static List<String> latestVersions() {
        Database database = Database.fresh();
        try {
            ReadModelDowngrade.migrate(database.dataSource, MigrationVersion.LATEST);
            return new ReadModelDowngrade(database.dataSource, Map.of()).appliedVersions();
        } finally {
            database.drop();
        }
    }

    /** A fresh MariaDB database of its own. */
    private record Database(String name, DataSource dataSource, JdbcTemplate jdbc) {

        static Database fresh() {
            String url = TestServices.freshDatabase();
            DataSource dataSource = new DriverManagerDataSource(url, TestServices.MYSQL_USER,
                                                                TestServices.MYSQL_PASSWORD);
            return new Database(url.substring(url.lastIndexOf('/') + 1), dataSource, new JdbcTemplate(dataSource));
        }

        boolean has(String table) {
            Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables"
                                                        + " WHERE table_schema = ? AND table_name = ?",
                                                Integer.class, name, table);
            return count != null && count > 0;
        }

        List<Map<String, Object>> rows(String table, String order) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM " + table + " ORDER BY " + order)) {
                Map<String, Object> comparable = new LinkedHashMap<>();
                // blobs compare by content
                row.forEach((column, value) -> comparable.put(column, value instanceof byte[] bytes
                        ? Arrays.toString(bytes) : value));
                rows.add(comparable);
            }
            return rows;
        }

        /** Tables (engine, collation), columns (type, nullability, default, collation) and indexes. */
        Map<String, List<Map<String, Object>>> schema() {
            Map<String, List<Map<String, Object>>> schema = new LinkedHashMap<>();
            schema.put("tables", jdbc.queryForList(
                    "SELECT table_name, engine, table_collation FROM information_schema.tables"
                            + " WHERE table_schema = ? ORDER BY table_name", name));
            schema.put("columns", jdbc.queryForList(
                    "SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default,"
                            + " collation_name, extra FROM information_schema.columns WHERE table_schema = ?"
                            + " ORDER BY table_name, ordinal_position", name));
            schema.put("indexes", jdbc.queryForList(
                    "SELECT table_name, index_name, seq_in_index, column_name, non_unique"
                            + " FROM information_schema.statistics WHERE table_schema = ?"
                            + " ORDER BY table_name, index_name, seq_in_index", name));
            return schema;
        }

        void drop() {
            jdbc.execute("DROP DATABASE IF EXISTS " + name);
        }
    }
}
