package org.mcpplatform.migration;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes a failed migration leave the read-model schema as it was before it (seed Property 52), on MySQL, MariaDB and
 * the embedded H2 alike.
 *
 * <p>Why a compensating callback: Flyway rolls a failed migration back only where DDL is transactional. MySQL, MariaDB
 * and H2 commit every DDL statement on its own (MariaDB 10.6+ makes each single statement atomic, not a migration of
 * several), so a migration that fails at its third statement leaves the first two applied, and Flyway records it as
 * failed, which blocks every later start until someone runs {@code flyway repair}. The alternatives do not hold:
 * allowing only migrations of one statement cannot express a change of several tables and still fails for data
 * reasons (a unique index over duplicates); running the migration first on a shadow copy of the schema costs a copy of
 * all the data and the real run can still fail on the real rows.
 *
 * <p>So, before each migration (under Flyway's lock, so one node at a time), the state of the schema is written to a
 * journal in the database ({@link RollbackJournal}): every table and view with the statement that recreates it
 * exactly, and a copy of the rows of each table the migration's script names (only those can have their rows changed
 * by it, and only the non-empty ones need copying). When the migration fails, what it created is dropped, what it
 * changed or dropped is recreated from the journal and refilled from its copy, the schema is compared with the journal
 * again, and, when it matches, Flyway's "failed" row is deleted, so that the corrected migration simply runs at the
 * next start. When something cannot be put back, the journal, the copies and the failed row stay, and the start is
 * refused until an operator has looked. A journal left by a process that died during a migration is rolled back at the
 * next start, before any migration runs.
 *
 * <p>Limits: changes made by statements the script does not spell out (dynamic SQL, stored routines, triggers) are not
 * seen, which is why the project's migrations are checked to use none ({@code MigrationRulesTest}); Flyway's
 * {@code group} mode is refused, because it would record migrations in a transaction their DDL has already escaped.
 * One migrate at a time per instance.
 */
public class FailedMigrationRollback implements Callback {

    private static final Logger log = LoggerFactory.getLogger(FailedMigrationRollback.class);

    private RollbackJournal.Entry running;
    private String failedStatement;
    private String statementError;
    private MigrationFailure failure;

    /**
     * Runs {@code flyway.migrate()}, turning a failure this callback handled into a {@link MigrationFailedException}
     * that names the migration and says whether the schema was put back.
     */
    public MigrateResult migrate(Flyway flyway) {
        failure = null; // Flyway validates before its first callback: a refusal there must not look like the last failure
        try {
            return flyway.migrate();
        } catch (FlywayException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof MigrationFailedException known) {
                    throw known;
                }
            }
            if (failure != null) {
                String error = databaseError(e).orElse(failure.error() != null ? failure.error()
                                                                               : firstLine(e.getMessage()));
                throw new MigrationFailedException(new MigrationFailure(failure.script(), failure.version(),
                                                                        failure.statement(), error,
                                                                        failure.rolledBack(), failure.problems()), e);
            }
            throw e;
        }
    }

    @Override
    public boolean supports(Event event, Context context) {
        return switch (event) {
            case BEFORE_MIGRATE, BEFORE_EACH_MIGRATE, AFTER_EACH_MIGRATE_STATEMENT_ERROR, AFTER_EACH_MIGRATE_ERROR,
                 AFTER_MIGRATE, AFTER_MIGRATE_ERROR -> true;
            default -> false;
        };
    }

    /** The callback commits what it writes itself; the migrations' own DDL commits just the same. */
    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return "failed-migration-rollback";
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            Optional<SchemaDialect> dialect = SchemaDialect.of(context.getConnection());
            if (dialect.isEmpty()) {
                return;
            }
            switch (event) {
                case BEFORE_MIGRATE -> beforeMigrate(context);
                case BEFORE_EACH_MIGRATE -> beforeEachMigrate(context, dialect.get());
                case AFTER_EACH_MIGRATE_STATEMENT_ERROR -> statementFailed(context);
                case AFTER_EACH_MIGRATE_ERROR -> migrationFailed(context, dialect.get());
                case AFTER_MIGRATE -> afterMigrate(context, dialect.get());
                case AFTER_MIGRATE_ERROR -> afterMigrateError(context, dialect.get());
                default -> {
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("Migration rollback (" + event.getId() + "): " + e.getMessage(), e);
        }
    }

    private void beforeMigrate(Context context) {
        running = null;
        failure = null;
        if (context.getConfiguration().isGroup()) {
            throw new FlywayException("spring.flyway.group is not supported: the read model's database commits DDL "
                                              + "statement by statement, so a group cannot be rolled back as one");
        }
    }

    private void beforeEachMigrate(Context context, SchemaDialect dialect) throws SQLException {
        Connection connection = context.getConnection();
        RollbackJournal journal = new RollbackJournal(connection, dialect);
        journal.createIfMissing();
        for (RollbackJournal.Entry entry : journal.entries()) {
            finishEarlierRun(context, dialect, journal, entry);
        }
        MigrationInfo migration = context.getMigrationInfo();
        Set<String> ignored = ignored(context.getConfiguration());
        Set<String> existing = dialect.objects(connection).keySet().stream()
                                      .filter(name -> !RollbackJournal.isOwn(name) && !isIgnored(name, ignored))
                                      .collect(Collectors.toSet());
        Set<String> named = MigrationScripts.namedTables(context.getConfiguration(), migration, existing)
                                            .orElse(existing);
        failedStatement = null;
        statementError = null;
        running = journal.record(migration.getScript(), version(migration), migration.getChecksum(), named, ignored);
    }

    /** A journal entry at the start of a migration: a migration that succeeded since, or one the process died in. */
    private void finishEarlierRun(Context context, SchemaDialect dialect, RollbackJournal journal,
                                  RollbackJournal.Entry entry) throws SQLException {
        if (succeeded(context, dialect, entry)) {
            journal.discard(entry);
            return;
        }
        log.warn("Migration {} did not finish in an earlier run (the process stopped while it ran); rolling back "
                         + "what it changed", entry.script());
        List<String> problems = journal.rollBack(entry, ignored(context.getConfiguration()));
        if (!problems.isEmpty()) {
            failure = new MigrationFailure(entry.script(), entry.version(), null, null, false, problems);
            throw new MigrationFailedException(failure, null);
        }
        journal.discard(entry);
        log.warn("Migration {}: the schema is back as it was before it", entry.script());
    }

    private void statementFailed(Context context) {
        if (context.getStatement() != null) {
            failedStatement = context.getStatement().getSql();
            statementError = context.getStatement().getErrors().stream()
                                    .map(error -> error.getMessage() == null ? "" : error.getMessage().strip())
                                    .collect(Collectors.joining("; "));
        }
    }

    /** Never throws: Flyway has a failure to report already, and must still record it when this cannot help. */
    private void migrationFailed(Context context, SchemaDialect dialect) {
        MigrationInfo migration = context.getMigrationInfo();
        List<String> problems = new ArrayList<>();
        RollbackJournal journal = new RollbackJournal(context.getConnection(), dialect);
        if (running == null) {
            problems.add("no record of the schema before the migration was taken");
        } else {
            try {
                problems.addAll(journal.rollBack(running, ignored(context.getConfiguration())));
            } catch (SQLException | RuntimeException e) {
                problems.add("the rollback stopped: " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                journal.discard(running);
            } catch (SQLException | RuntimeException e) {
                log.warn("Migration {} was rolled back but its journal could not be cleared ({}); the next start "
                                 + "clears it", migration.getScript(), e.getMessage());
            }
        }
        failure = new MigrationFailure(migration.getScript(), version(migration), failedStatement,
                                       statementError == null || statementError.isEmpty() ? null : statementError,
                                       problems.isEmpty(), problems);
        running = null;
        if (failure.rolledBack()) {
            log.warn("Migration {} failed; its changes were rolled back", failure.migration());
        } else {
            log.error("Migration {} failed and could not be rolled back: {}", failure.migration(), problems);
        }
    }

    /** The journal of the last migration is cleared once Flyway has recorded it as applied. */
    private void afterMigrate(Context context, SchemaDialect dialect) throws SQLException {
        RollbackJournal journal = new RollbackJournal(context.getConnection(), dialect);
        if (!journalExists(context.getConnection(), dialect)) {
            return;
        }
        for (RollbackJournal.Entry entry : journal.entries()) {
            if (succeeded(context, dialect, entry)) {
                journal.discard(entry);
            } else {
                // outside Flyway's lock: it may also be another node's migration, running right now
                log.warn("Migration {} did not finish (the process stopped while it ran, or another node is running "
                                 + "it now) and this version of the platform does not run it: what it changed stays "
                                 + "until a version that contains it starts, which rolls it back first from table {}",
                         entry.script(), RollbackJournal.TABLE);
            }
        }
    }

    /** Flyway has recorded the failed migration by now; a rolled-back one must not block the next start. */
    private void afterMigrateError(Context context, SchemaDialect dialect) throws SQLException {
        if (failure == null || !failure.rolledBack()) {
            return;
        }
        Connection connection = context.getConnection();
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + history(context.getConfiguration(), dialect) + " WHERE success = ? AND script = ? "
                        + (failure.version() == null ? "AND version IS NULL" : "AND version = ?"))) {
            delete.setBoolean(1, false);
            delete.setString(2, failure.script());
            if (failure.version() != null) {
                delete.setString(3, failure.version());
            }
            delete.executeUpdate();
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private boolean succeeded(Context context, SchemaDialect dialect, RollbackJournal.Entry entry)
            throws SQLException {
        // a repeatable migration runs again whenever it changes: the run that succeeded is the one of this checksum
        String sql = "SELECT COUNT(*) FROM " + history(context.getConfiguration(), dialect)
                + " WHERE success = ? AND script = ? AND "
                + (entry.version() == null
                ? "version IS NULL AND " + (entry.checksum() == null ? "checksum IS NULL" : "checksum = ?")
                : "version = ?");
        try (PreparedStatement query = context.getConnection().prepareStatement(sql)) {
            query.setBoolean(1, true);
            query.setString(2, entry.script());
            if (entry.version() != null) {
                query.setString(3, entry.version());
            } else if (entry.checksum() != null) {
                query.setInt(3, entry.checksum());
            }
            try (ResultSet count = query.executeQuery()) {
                count.next();
                return count.getLong(1) > 0;
            }
        }
    }

    private static boolean journalExists(Connection connection, SchemaDialect dialect) throws SQLException {
        return dialect.objects(connection).keySet().stream().anyMatch(RollbackJournal.TABLE::equalsIgnoreCase);
    }

    private static boolean isIgnored(String name, Set<String> ignored) {
        return ignored.stream().anyMatch(name::equalsIgnoreCase);
    }

    /** Flyway's schema history: not part of what a migration changes. */
    private static Set<String> ignored(Configuration configuration) {
        return Set.of(configuration.getTable());
    }

    /** Where Flyway keeps it: its default schema, else the first of its schemas, else the connection's. */
    private static String history(Configuration configuration, SchemaDialect dialect) {
        String schema = configuration.getDefaultSchema() != null || configuration.getSchemas().length == 0
                ? configuration.getDefaultSchema()
                : configuration.getSchemas()[0];
        return (schema == null ? "" : dialect.quote(schema) + ".") + dialect.quote(configuration.getTable());
    }

    private static String version(MigrationInfo migration) {
        return migration.getVersion() == null ? null : migration.getVersion().getVersion();
    }

    /** What the database answered, when a statement failed. */
    private static Optional<String> databaseError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getMessage() != null) {
                return Optional.of(sql.getMessage().strip());
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        return message.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("---"))
                      .findFirst().orElse(message);
    }
}
