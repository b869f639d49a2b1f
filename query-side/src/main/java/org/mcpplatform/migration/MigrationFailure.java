package org.mcpplatform.migration;

import java.util.List;

/**
 * A migration that failed, and whether its changes were rolled back.
 *
 * @param script     the migration's file name, as Flyway lists it
 * @param version    its version; null for a repeatable migration
 * @param statement  the statement that failed; null when not known (the process stopped while the migration ran)
 * @param error      what the database answered; null when not known
 * @param rolledBack the schema is as it was before the migration, and the migration is not recorded as failed
 * @param problems   what could not be put back, when not rolled back
 */
public record MigrationFailure(String script, String version, String statement, String error, boolean rolledBack,
                               List<String> problems) {

    public MigrationFailure {
        problems = List.copyOf(problems);
    }

    /** "V9__add_widgets.sql (version 9)". */
    public String migration() {
        return script + (version == null ? " (repeatable)" : " (version " + version + ")");
    }
}
