package org.mcpplatform.projection;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.mcpplatform.migration.FailedMigrationRollback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * Takes the read-model database back to an earlier migration, the event-sourced way (seed Property 53): Flyway
 * migrations here have no down scripts, because the projections' tables need none: they are dropped, the schema is
 * migrated again up to the target version, and the projections refill their tables from the events when the platform
 * starts (their processors find no token and begin at the first event).
 * <p>
 * The same database also holds state no event describes: the tracking tokens of the other processors (the deployment
 * saga must not replay and act again), dead letters, usage records, saga deadlines. So the procedure is:
 * <ol>
 * <li>copy every table that is not a projection's aside ({@code <table>__downgrade}, structure and rows);</li>
 * <li>drop every other table and empty Flyway's history;</li>
 * <li>migrate the empty schema up to the target version, as the platform migrates at start-up (a migration that
 * fails is rolled back, {@link FailedMigrationRollback}): exactly the schema a fresh database gets at that
 * version;</li>
 * <li>copy the rows back into the tables that exist at the target version (the columns both versions have), leaving
 * out what belongs to the projections (their tokens, dead letters and rebuild records), and drop the copies.</li>
 * </ol>
 * Tables the target version does not have yet lose their rows (usage records, for a target before V6). Flyway's own
 * tables are not copied: its history is rewritten by the migration, and the rollback journal is empty between
 * migrations (a database whose journal still records a failed migration is refused: the platform must finish that
 * rollback first). Run it with every platform node stopped. It can be run again after an interruption: copies already
 * made are kept, not overwritten.
 */
public class ReadModelDowngrade {

    private static final Logger log = LoggerFactory.getLogger(ReadModelDowngrade.class);
    static final String COPY_SUFFIX = "__downgrade";
    private static final String HISTORY = "flyway_schema_history";
    /** Flyway's tables and those of the migration rollback: bookkeeping of the migrations, not read-model state. */
    private static final String FLYWAY_PREFIX = "flyway_";
    private static final String ROLLBACK_JOURNAL = "flyway_rollback_journal";
    /** The migrations of the read-model database, as the platform applies them at start-up. */
    public static final String LOCATIONS = "classpath:db/migration";

    /**
     * What was done.
     *
     * @param from        the version before
     * @param to          the version after
     * @param carriedOver tables whose rows were kept
     * @param emptied     projection tables, now empty, to be filled from the events
     * @param lost        tables the target version does not have, whose rows are gone
     */
    public record Result(String from, String to, List<String> carriedOver, List<String> emptied, List<String> lost) {
    }

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final Set<String> projectionTables;
    private final Set<String> projectionProcessors;

    /**
     * @param projections processing group -> the tables its projection writes: every read model that is rebuilt from
     *                    the events
     */
    public ReadModelDowngrade(DataSource dataSource, Map<String, List<String>> projections) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.projectionTables = projections.values().stream().flatMap(Collection::stream)
                                           .map(table -> table.toLowerCase(Locale.ROOT))
                                           .collect(Collectors.toCollection(LinkedHashSet::new));
        this.projectionTables.add("projection_rebuilds"); // the projections' rebuild records go with them
        this.projectionProcessors = new LinkedHashSet<>();
        projections.keySet().forEach(group -> {
            projectionProcessors.add(group);
            projectionProcessors.add(group + "__rebuild");
        });
    }

    /**
     * Migrates the read-model database up to {@code target} as the platform does at start-up: Spring Boot's Flyway
     * defaults, the dialect's table options, the rollback of a migration that fails.
     */
    public static void migrate(DataSource dataSource, MigrationVersion target) {
        FailedMigrationRollback rollback = new FailedMigrationRollback();
        rollback.migrate(flyway(dataSource, target, rollback));
    }

    private static Flyway flyway(DataSource dataSource, MigrationVersion target, FailedMigrationRollback rollback) {
        return Flyway.configure()
                     .dataSource(dataSource)
                     .locations(LOCATIONS)
                     .placeholders(Map.of("table_options", ReadModelConfiguration.tableOptions(jdbcUrl(dataSource))))
                     .callbacks(rollback)
                     .target(target)
                     .load();
    }

    /** The versions applied to the database, oldest first. */
    public List<String> appliedVersions() {
        return Arrays.stream(flyway(dataSource, MigrationVersion.LATEST, new FailedMigrationRollback()).info()
                                                                                                 .applied())
                     .map(MigrationInfo::getVersion)
                     .filter(version -> version != null)
                     .map(MigrationVersion::getVersion)
                     .toList();
    }

    public Result downgradeTo(String target) {
        List<String> applied = appliedVersions();
        boolean interrupted = tables().stream().anyMatch(table -> table.endsWith(COPY_SUFFIX));
        if (!applied.contains(target) && !interrupted) {
            throw new IllegalArgumentException("Version " + target + " is not applied to this database; applied: "
                                                       + applied);
        }
        if (tables().contains(ROLLBACK_JOURNAL)
                && jdbc.queryForObject("SELECT COUNT(*) FROM " + ROLLBACK_JOURNAL, Integer.class) > 0) {
            throw new IllegalArgumentException("A failed migration is still being rolled back (" + ROLLBACK_JOURNAL
                                                       + " is not empty): start the platform once, or finish the "
                                                       + "repair README describes, before downgrading");
        }
        String from = applied.isEmpty() ? "(an interrupted downgrade)" : applied.get(applied.size() - 1);
        log.info("Taking the read model from version {} back to {}", from, target);

        List<String> before = tables();
        for (String table : before) {
            if (!table.endsWith(COPY_SUFFIX) && !table.startsWith(FLYWAY_PREFIX) && !projectionTables.contains(table)
                    && !before.contains(table + COPY_SUFFIX)) {
                jdbc.execute("CREATE TABLE " + table + COPY_SUFFIX + " AS SELECT * FROM " + table);
            }
        }
        for (String table : tables()) {
            if (!table.endsWith(COPY_SUFFIX) && !table.equals(HISTORY)) {
                jdbc.execute("DROP TABLE " + table);
            }
        }
        // an empty history rather than none: Flyway refuses to migrate a schema that holds tables (the copies) but
        // no history, and applies every migration up to the target to one whose history is empty
        jdbc.update("DELETE FROM " + HISTORY);
        migrate(dataSource, MigrationVersion.fromVersion(target));

        Set<String> now = new LinkedHashSet<>(tables());
        List<String> carried = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (String copy : tables().stream().filter(table -> table.endsWith(COPY_SUFFIX)).toList()) {
            String table = copy.substring(0, copy.length() - COPY_SUFFIX.length());
            if (now.contains(table)) {
                copyBack(copy, table);
                carried.add(table);
            } else {
                lost.add(table);
            }
            jdbc.execute("DROP TABLE " + copy);
        }
        List<String> emptied = projectionTables.stream().filter(now::contains).toList();
        log.info("The read model is at version {}; kept the rows of {}; emptied {} (the projections fill them from "
                         + "the events at the next start); lost the rows of {}", target, carried, emptied, lost);
        return new Result(from, target, carried, emptied, lost);
    }

    private void copyBack(String copy, String table) {
        Set<String> columns = new LinkedHashSet<>(columns(table));
        columns.retainAll(columns(copy));
        StringJoiner names = new StringJoiner(", ");
        columns.forEach(names::add);
        String where = switch (table) {
            case ReadModelConfiguration.TOKEN_TABLE -> " WHERE processor_name NOT IN " + projectionProcessorList();
            case "dead_letter_entry" -> " WHERE processing_group NOT IN " + projectionProcessorList();
            default -> "";
        };
        jdbc.execute("INSERT INTO " + table + " (" + names + ") SELECT " + names + " FROM " + copy + where);
    }

    private String projectionProcessorList() {
        StringJoiner list = new StringJoiner(", ", "(", ")");
        projectionProcessors.forEach(name -> list.add("'" + name.replace("'", "''") + "'"));
        return list.toString();
    }

    /** The tables of the read-model database, lower case. */
    List<String> tables() {
        return metadata((meta, connection) -> {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%",
                                               new String[]{"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            return tables;
        });
    }

    private List<String> columns(String table) {
        return metadata((meta, connection) -> {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(connection.getCatalog(), connection.getSchema(), table, "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            return columns;
        });
    }

    private interface MetadataQuery<T> {
        T query(DatabaseMetaData meta, Connection connection) throws SQLException;
    }

    private <T> T metadata(MetadataQuery<T> query) {
        try (Connection connection = dataSource.getConnection()) {
            return query.query(connection.getMetaData(), connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the read-model database's tables: " + e.getMessage(), e);
        }
    }

    private static String jdbcUrl(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the read-model database: " + e.getMessage(), e);
        }
    }
}
