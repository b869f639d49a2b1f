package org.mcpplatform.migration;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.migration.MigrationDatabase.HistoryRow;
import org.mcpplatform.migration.MigrationDatabase.Kind;
import org.mcpplatform.support.EmbeddedPlatform;
import org.mcpplatform.support.TestServices;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The platform's start-up: it migrates the read model before anything reads it, and a migration that fails stops the
 * start with a message naming it, leaves the schema as it was and does not block the next start once corrected.
 */
class MigrationStartupTest {

    private static final String BROKEN = "V100__broken_widgets.sql";
    private static final String CHANGE = """
            CREATE TABLE broken_widgets (id INT NOT NULL, name VARCHAR(40) NOT NULL, PRIMARY KEY (id)) ${table_options};
            INSERT INTO broken_widgets (id, name) VALUES (1, 'spanner');
            ALTER TABLE mcp_tools ADD COLUMN widget_id INT NULL;
            CREATE INDEX idx_mcp_tools_widget ON mcp_tools (widget_id);
            """;

    @TempDir
    Path temp;

    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aFailedMigrationStopsTheStartNamingItAndTheCorrectedOneStartsThePlatform() throws Exception {
        Path migrations = temp.resolve("migrations");
        write(migrations.resolve(BROKEN), CHANGE + "INSERT INTO no_such_table (id) VALUES (1);\n");
        try (MigrationDatabase database = MigrationDatabase.fresh(Kind.MARIADB, temp);
             MigrationDatabase reference = MigrationDatabase.fresh(Kind.MARIADB, temp)) {
            FailedMigrationRollback untilV7 = new FailedMigrationRollback();
            untilV7.migrate(reference.flyway(untilV7, List.of("classpath:db/migration")));

            Throwable refused = catchThrowable(() -> start(database, migrations, new MigrationObserver()));

            MigrationFailedException failure = failureIn(refused);
            // what the database answered, the statement, and that nothing is left to repair
            assertThat(failure.getMessage()).contains(BROKEN, "no_such_table' doesn't exist",
                                                      "INSERT INTO no_such_table", "rolled back");
            FailureAnalysis analysis = new MigrationFailureAnalyzer().analyze(refused);
            assertThat(analysis.getDescription()).contains(BROKEN);
            assertThat(analysis.getAction()).contains("start the platform again");
            // the platform's own V1..V7 applied; V100's changes are gone and it is not recorded
            assertThat(MigrationDatabase.differences(reference.state(), database.state())).isEmpty();
            assertThat(database.history()).extracting(HistoryRow::script).doesNotContain(BROKEN)
                                          .hasSameSizeAs(reference.history());

            write(migrations.resolve(BROKEN), CHANGE);
            MigrationObserver observer = new MigrationObserver();
            // other platforms of this test run (cached test contexts) may have processors running already
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            ConfigurableApplicationContext platform = start(database, migrations, observer);

            assertThat(database.history()).anyMatch(row -> row.script().equals(BROKEN) && row.success());
            assertThat(database.state()).containsKey("broken_widgets");
            // while the migrations ran, none of this platform's event processors (nor its deadline scheduler) had
            // started; once the platform is up, they run
            assertThat(observer.threadsDuringMigrations).isNotEmpty()
                    .noneMatch(thread -> !before.contains(thread) && readsTheReadModel(thread));
            assertThat(Thread.getAllStackTraces().keySet())
                    .anyMatch(thread -> !before.contains(thread) && readsTheReadModel(thread));
            platform.close();
        }
    }

    /** The embedded default (H2 under the data directory) refuses to start the same way. */
    @Test
    void theEmbeddedPlatformRefusesToStartOnAFailedMigrationAndKeepsItsSchema() throws Exception {
        Path migrations = temp.resolve("migrations");
        write(migrations.resolve(BROKEN), CHANGE + "INSERT INTO no_such_table (id) VALUES (1);\n");
        Path dataDir = temp.resolve("data");

        Throwable refused = catchThrowable(() -> running.add(EmbeddedPlatform.start(
                dataDir, "--spring.flyway.locations=classpath:db/migration,filesystem:" + migrations)));

        assertThat(failureIn(refused).getMessage()).contains(BROKEN, "rolled back");
        try (MigrationDatabase database = MigrationDatabase.embedded(dataDir);
             MigrationDatabase reference = MigrationDatabase.fresh(Kind.H2, temp)) {
            FailedMigrationRollback untilV7 = new FailedMigrationRollback();
            untilV7.migrate(reference.flyway(untilV7, List.of("classpath:db/migration")));
            assertThat(MigrationDatabase.differences(reference.state(), database.state())).isEmpty();
            assertThat(database.history()).extracting(HistoryRow::script).doesNotContain(BROKEN);
        }
    }

    private ConfigurableApplicationContext start(MigrationDatabase database, Path migrations,
                                                 MigrationObserver observer) {
        McpPlatformApplication.disableAxonUpdateCheckUnlessAsked();
        Path data = temp.resolve("data");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(McpPlatformApplication.class)
                .initializers(app -> app.getBeanFactory().registerSingleton("migrationObserver", observer))
                .run("--server.port=0",
                     "--spring.datasource.url=" + database.url,
                     "--spring.datasource.username=" + TestServices.MYSQL_USER,
                     "--spring.datasource.password=" + TestServices.MYSQL_PASSWORD,
                     "--spring.flyway.locations=classpath:db/migration,filesystem:" + migrations,
                     "--mcp.event-store.mongodb-uri=",
                     "--mcp.event-store.embedded-backend=memory",
                     "--mcp.event-store.data-dir=" + data,
                     "--mcp.tokens.data-dir=" + data,
                     "--mcp.deployments.data-dir=" + data.resolve("deployments"),
                     "--mcp.identity.admin-password=" + TestServices.ADMIN_PASSWORD,
                     "--mcp.cache.redis-url=");
        running.add(context);
        return context;
    }

    private static boolean readsTheReadModel(Thread thread) {
        return thread.getName().startsWith("EventProcessor[") || thread.getName().startsWith("db-scheduler");
    }

    private static MigrationFailedException failureIn(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof MigrationFailedException failure) {
                return failure;
            }
        }
        throw new AssertionError("the start did not fail on a migration", thrown);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** A Flyway callback bean: the names of the threads alive while each migration ran. */
    static final class MigrationObserver implements Callback {

        final List<Thread> threadsDuringMigrations = new CopyOnWriteArrayList<>();

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            threadsDuringMigrations.addAll(Thread.getAllStackTraces().keySet());
        }

        @Override
        public String getCallbackName() {
            return "migration-observer";
        }
    }
}
