package org.mcpplatform.migration;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mcpplatform.migration.MigrationDatabase.HistoryRow;
import org.mcpplatform.migration.MigrationDatabase.Kind;
import org.mcpplatform.migration.MigrationDatabase.TableState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The rollback of failed migrations in the cases a generated migration does not reach. */
class MigrationRollbackTest {

    private static final String BASE = """
            CREATE TABLE base_1 (id INT NOT NULL, label VARCHAR(40) NOT NULL, amount INT NULL, PRIMARY KEY (id)) ${table_options};
            CREATE INDEX idx_base_1_amount ON base_1 (amount);
            CREATE TABLE base_2 (id INT NOT NULL, label VARCHAR(40) NOT NULL, PRIMARY KEY (id)) ${table_options};
            INSERT INTO base_1 (id, label, amount) VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', 30);
            INSERT INTO base_2 (id, label) VALUES (1, 'first');
            CREATE VIEW base_summary AS SELECT id, label FROM base_1 WHERE amount > 15;
            """;

    private static final String CHANGE = """
            CREATE TABLE widgets (id INT NOT NULL, name VARCHAR(40) NOT NULL, PRIMARY KEY (id)) ${table_options};
            INSERT INTO widgets (id, name) VALUES (1, 'spanner');
            INSERT INTO base_1 (id, label, amount) VALUES (4, 'four', 40);
            ALTER TABLE base_1 ADD COLUMN colour VARCHAR(20) NOT NULL DEFAULT 'red';
            DROP VIEW base_summary;
            CREATE VIEW base_summary AS SELECT id FROM base_1;
            UPDATE base_1 SET amount = amount * 2;
            DROP INDEX idx_base_1_amount ON base_1;
            DELETE FROM base_2;
            ALTER TABLE base_2 RENAME TO base_2_old;
            """;

    @TempDir
    Path temp;

    /** A view the migration drops and recreates differently comes back as it was, as do the tables under it. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void viewsComeBackAsTheyWere(Kind kind) throws Exception {
        Path migrations = temp.resolve("migrations");
        write(migrations.resolve("V1__base.sql"), BASE);
        try (MigrationDatabase database = MigrationDatabase.fresh(kind, temp)) {
            FailedMigrationRollback rollback = new FailedMigrationRollback();
            rollback.migrate(database.flyway(rollback, locations(migrations)));
            Map<String, TableState> before = database.state();
            List<HistoryRow> history = database.history();

            write(migrations.resolve("V2__widgets.sql"), CHANGE + "INSERT INTO no_such_table (id) VALUES (1);\n");
            MigrationFailedException failure = catchThrowableOfType(
                    MigrationFailedException.class, () -> rollback.migrate(database.flyway(rollback, locations(migrations))));

            assertThat(failure.failure().rolledBack()).isTrue();
            assertThat(failure.failure().statement()).contains("no_such_table");
            assertThat(MigrationDatabase.differences(before, database.state())).isEmpty();
            assertThat(database.history()).isEqualTo(history);
        }
    }

    /**
     * The process dies in the middle of a migration (here: an Error thrown between two of its statements, which
     * Flyway neither catches nor records): the next start rolls back what the migration had done from its journal,
     * then runs the migration, and the database ends up as one that never saw the interruption.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMigrationTheProcessDiedInIsRolledBackAtTheNextStartThenRuns(Kind kind) throws Exception {
        Path migrations = temp.resolve("migrations");
        write(migrations.resolve("V1__base.sql"), BASE);
        write(migrations.resolve("V2__widgets.sql"), CHANGE);
        try (MigrationDatabase interrupted = MigrationDatabase.fresh(kind, temp.resolve("interrupted"));
             MigrationDatabase reference = MigrationDatabase.fresh(kind, temp.resolve("reference"))) {
            FailedMigrationRollback dying = new FailedMigrationRollback();
            Throwable crash = catchThrowable(() -> dying.migrate(
                    interrupted.flyway(dying, locations(migrations), new DieAfterStatements("V2__widgets.sql", 5))));
            assertThat(crash).isInstanceOf(ProcessDied.class);
            assertThat(interrupted.history().stream().filter(HistoryRow::isMigration).map(HistoryRow::script))
                    .containsExactly("V1__base.sql");
            assertThat(interrupted.state()).containsKey("widgets"); // half done: the journal has work to do

            FailedMigrationRollback restarted = new FailedMigrationRollback();
            restarted.migrate(interrupted.flyway(restarted, locations(migrations)));
            FailedMigrationRollback clean = new FailedMigrationRollback();
            clean.migrate(reference.flyway(clean, locations(migrations)));

            assertThat(MigrationDatabase.differences(reference.state(), interrupted.state())).isEmpty();
            assertThat(interrupted.history().stream().filter(HistoryRow::isMigration).map(HistoryRow::success))
                    .containsExactly(true, true);
        }
    }

    /**
     * A change the rollback cannot see (SQL built at run time alters a table the script never names) is not undone
     * blindly: the failure says so, the schema history keeps the failed entry so that the platform does not start,
     * and once an operator has put that table back and run repair, the next start completes the rollback from the
     * journal and runs the corrected migration.
     */
    @Test
    void aChangeTheRollbackCannotSeeKeepsTheFailureRecordedUntilAnOperatorHasLooked() throws Exception {
        Path migrations = temp.resolve("migrations");
        write(migrations.resolve("V1__base.sql"), BASE);
        String hidden = """
                INSERT INTO base_1 (id, label, amount) VALUES (4, 'four', 40);
                SET @change = CONCAT('ALTER TABLE base', '_2 ADD COLUMN hidden INT NULL');
                PREPARE change_statement FROM @change;
                EXECUTE change_statement;
                DEALLOCATE PREPARE change_statement;
                """;
        try (MigrationDatabase database = MigrationDatabase.fresh(Kind.MARIADB, temp)) {
            FailedMigrationRollback rollback = new FailedMigrationRollback();
            rollback.migrate(database.flyway(rollback, locations(migrations)));
            Map<String, TableState> before = database.state();

            write(migrations.resolve("V2__hidden.sql"), hidden + "INSERT INTO no_such_table (id) VALUES (1);\n");
            MigrationFailedException failure = catchThrowableOfType(
                    MigrationFailedException.class, () -> rollback.migrate(database.flyway(rollback, locations(migrations))));

            assertThat(failure.failure().rolledBack()).isFalse();
            assertThat(failure.failure().problems()).anyMatch(problem -> problem.contains("base_2"));
            assertThat(failure.getMessage()).contains("V2__hidden.sql", "base_2");
            assertThat(failure.action()).contains("flyway repair");
            assertThat(database.history()).anyMatch(row -> row.script().equals("V2__hidden.sql") && !row.success());
            // base_1, which the script names, is back; base_2 is as the migration left it
            assertThat(database.state().get("base_1")).isEqualTo(before.get("base_1"));
            assertThat(database.state().get("base_2").columns()).anyMatch(column -> column.contains("hidden"));

            FailedMigrationRollback next = new FailedMigrationRollback();
            assertThatThrownBy(() -> next.migrate(database.flyway(next, locations(migrations))))
                    .isInstanceOf(FlywayException.class).hasMessageContaining("failed migration to version 2");

            database.execute("ALTER TABLE base_2 DROP COLUMN hidden");
            database.flyway(next, locations(migrations)).repair();
            write(migrations.resolve("V2__hidden.sql"), "INSERT INTO base_1 (id, label, amount) VALUES (4, 'four', 40);\n");
            FailedMigrationRollback afterRepair = new FailedMigrationRollback();
            afterRepair.migrate(database.flyway(afterRepair, locations(migrations)));

            assertThat(database.state().get("base_1").rows()).containsExactly(
                    "1 | one | 10", "2 | two | 20", "3 | three | 30", "4 | four | 40");
            assertThat(database.state().get(RollbackJournal.TABLE).rows()).isEmpty();
            assertThat(database.state().keySet()).noneMatch(table -> table.startsWith(RollbackJournal.PREFIX)
                    && !table.equals(RollbackJournal.TABLE));
        }
    }

    private static List<String> locations(Path migrations) {
        return List.of("filesystem:" + migrations);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static final class ProcessDied extends Error {
        ProcessDied() {
            super("the process died (simulated)");
        }
    }

    /** Throws an Error, which Flyway does not handle, after the given number of statements of one migration. */
    static final class DieAfterStatements implements Callback {

        private final String script;
        private final int statements;
        private int done;

        DieAfterStatements(String script, int statements) {
            this.script = script;
            this.statements = statements;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_EACH_MIGRATE_STATEMENT;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            if (context.getMigrationInfo().getScript().equals(script) && ++done == statements) {
                throw new ProcessDied();
            }
        }

        @Override
        public String getCallbackName() {
            return "die-after-statements";
        }
    }
}
