package org.mcpplatform.migration;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mcpplatform.migration.GeneratedMigration.Plan;
import org.mcpplatform.migration.MigrationDatabase.HistoryRow;
import org.mcpplatform.migration.MigrationDatabase.Kind;
import org.mcpplatform.migration.MigrationDatabase.TableState;
import org.quicktheories.core.Gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * A migration that fails part-way leaves the read-model database as it was before it: the same tables, columns,
 * indexes and rows, and no failed entry in the schema history; the corrected migration then applies at the next run.
 */
class MigrationRollbackPropertiesTest {

    /** Versions after every migration of the project's, whatever it adds next. */
    private static final String BASE = "V1000__generated_base.sql";
    private static final String CHANGE = "V1001__generated_change.sql";

    @TempDir
    Path temp;

    // Property 52: Migration Rollback on Failure
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFailedMigrationLeavesTheSchemaAndRowsAsTheyWereAndItsCorrectionApplies(Kind kind) {
        qt().withExamples(kind == Kind.MARIADB ? 6 : 15).withShrinkCycles(5)
            .forAll(plans())
            .checkAssert(plan -> {
                Path root = temp.resolve(UUID.randomUUID().toString());
                Path generated = root.resolve("generated");
                GeneratedMigration model = new GeneratedMigration(plan.seed());
                write(generated.resolve(BASE), model.base(plan));
                String[] change = model.change(plan);
                List<String> locations = List.of("classpath:db/migration", "filesystem:" + generated);
                try (MigrationDatabase database = MigrationDatabase.fresh(kind, root)) {
                    FailedMigrationRollback rollback = new FailedMigrationRollback();
                    rollback.migrate(database.flyway(rollback, locations));
                    Map<String, TableState> before = database.state();
                    List<HistoryRow> historyBefore = database.history();

                    write(generated.resolve(CHANGE), change[0]);
                    Flyway failing = database.flyway(rollback, locations);
                    MigrationFailedException failure =
                            catchThrowableOfType(MigrationFailedException.class, () -> rollback.migrate(failing));

                    assertThat(failure).as("the change fails").isNotNull();
                    assertThat(failure.failure().problems()).isEmpty();
                    assertThat(failure.failure().rolledBack()).isTrue();
                    assertThat(failure.getMessage()).contains(CHANGE);
                    assertThat(MigrationDatabase.differences(before, database.state())).isEmpty();
                    assertThat(database.history()).isEqualTo(historyBefore);

                    write(generated.resolve(CHANGE), change[1]);
                    rollback.migrate(database.flyway(rollback, locations));

                    List<HistoryRow> history = database.history();
                    assertThat(history.get(history.size() - 1))
                            .extracting(HistoryRow::script, HistoryRow::success).containsExactly(CHANGE, true);
                    assertChangeApplied(database.state(), before.keySet(), model);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
    }

    /** The tables the model expects, the columns of those it generated, and no copy of rows left behind. */
    private static void assertChangeApplied(Map<String, TableState> after, Set<String> tablesBefore,
                                            GeneratedMigration model) {
        Set<String> expected = new TreeSet<>(tablesBefore);
        expected.removeAll(model.removed);
        expected.addAll(model.added);
        assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(after.get(RollbackJournal.TABLE).rows()).isEmpty();
        for (GeneratedMigration.Table table : model.tables.values()) {
            List<String> columns = after.get(table.name).columns().stream()
                                        .map(column -> column.split(" ")[1]).toList();
            if (table.generated) {
                assertThat(columns).containsExactlyInAnyOrderElementsOf(table.columns);
            } else {
                assertThat(columns).containsAll(table.columns);
            }
        }
    }

    /** 1 to 3 base tables of up to 4 rows, a change of up to 7 operations, and where and how it fails. */
    private static Gen<Plan> plans() {
        Gen<List<Integer>> baseRows = lists().of(integers().between(0, 4)).ofSizeBetween(1, 3);
        Gen<List<Integer>> operations = lists().of(integers().between(0, 11)).ofSizeBetween(0, 7);
        return baseRows.zip(integers().between(0, 3), integers().between(0, 2), (rows, usage, tools) ->
                                    new Plan(rows, usage, tools, List.of(), 0, 0, 0))
                       .zip(operations, integers().between(0, 4), integers().between(0, 7), (base, ops, kind, at) ->
                               new Plan(base.baseRows(), base.usageRows(), base.toolRows(), ops, kind, at, 0))
                       .zip(longs().all(), (plan, seed) ->
                               new Plan(plan.baseRows(), plan.usageRows(), plan.toolRows(), plan.operations(),
                                        plan.failureKind(), plan.failureAt(), seed));
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
