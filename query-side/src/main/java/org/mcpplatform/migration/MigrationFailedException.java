package org.mcpplatform.migration;

import org.flywaydb.core.api.FlywayException;

/**
 * The read-model database could not be migrated, so the platform does not start. A FlywayException, so that Flyway
 * passes it on unchanged when a callback throws it.
 */
public class MigrationFailedException extends FlywayException {

    private final transient MigrationFailure failure;

    public MigrationFailedException(MigrationFailure failure, Throwable cause) {
        super(describe(failure), cause);
        this.failure = failure;
    }

    public MigrationFailure failure() {
        return failure;
    }

    /** What the operator does next. */
    public String action() {
        if (failure.rolledBack()) {
            return "Correct " + failure.script() + " (or the data it trips over) and start the platform again: it runs "
                    + "the migration again. Nothing needs repairing.";
        }
        return "Make the tables named above match their definitions from before the migration (table "
                + RollbackJournal.TABLE + " holds them; the rows of the tables the migration names are copied in "
                + "tables " + RollbackJournal.PREFIX + "<run>_<n>), run `flyway repair` when the schema history "
                + "lists the migration as failed, correct the migration and start the platform again: it completes the "
                + "rollback from its journal before it runs the migration (README.md, \"When a migration fails\").";
    }

    private static String describe(MigrationFailure failure) {
        StringBuilder message = new StringBuilder("Migration ").append(failure.migration());
        if (failure.statement() == null && failure.error() == null) {
            message.append(" was interrupted (the process stopped while it ran)");
        } else {
            message.append(" failed");
            if (failure.error() != null) {
                message.append(": ").append(failure.error());
            }
            if (failure.statement() != null) {
                message.append(" (statement: ").append(abbreviated(failure.statement())).append(')');
            }
        }
        if (failure.rolledBack()) {
            message.append(". Its changes were rolled back: the read-model schema and its rows are as they were "
                                   + "before it, and the schema history does not record it as failed.");
        } else {
            message.append(". Its changes could not all be rolled back: ")
                   .append(String.join("; ", failure.problems()))
                   .append(". The platform does not start on a half-migrated schema.");
        }
        return message.toString();
    }

    private static String abbreviated(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
