package org.mcpplatform.projection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.mcpplatform.projection.RebuildableProjection.retiredOf;
import static org.mcpplatform.projection.RebuildableProjection.shadowOf;

/**
 * The tables of a rebuild: a shadow copy of each live table (same columns, keys and indexes, no rows) that the
 * rebuild fills, the swap that makes the shadows the live tables in one step, and the drop of what they replaced.
 * How depends on the database: MySQL and MariaDB copy a table's structure with {@code CREATE TABLE ... LIKE} and rename
 * several tables in one atomic {@code RENAME TABLE}; the embedded H2 database has neither, so its shadows are created
 * from the DDL H2 reports for the live table, and its renames run while the database is in exclusive mode (the other
 * connections' statements wait for the few milliseconds of the swap instead of finding a table missing).
 */
abstract class ShadowTables {

    protected final JdbcTemplate jdbc;

    private ShadowTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static ShadowTables of(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the read-model database: " + e.getMessage(), e);
        }
        return "H2".equalsIgnoreCase(product) ? new H2(jdbc, dataSource) : new MySql(jdbc);
    }

    /** Empty shadows of {@code tables}, replacing any left over from an earlier rebuild. */
    abstract void create(List<String> tables);

    /** In one step for readers: each live table becomes its retired copy, and its shadow the live table. */
    abstract void swap(List<String> tables);

    /** Drops the retired tables a swap left. */
    void dropRetired(List<String> tables) {
        tables.forEach(table -> jdbc.execute("DROP TABLE IF EXISTS " + retiredOf(table)));
    }

    void dropShadows(List<String> tables) {
        tables.forEach(table -> jdbc.execute("DROP TABLE IF EXISTS " + shadowOf(table)));
    }

    abstract boolean exists(String table);

    /** MySQL 8 and MariaDB. */
    private static final class MySql extends ShadowTables {

        MySql(JdbcTemplate jdbc) {
            super(jdbc);
        }

        @Override
        void create(List<String> tables) {
            dropShadows(tables);
            tables.forEach(table -> jdbc.execute("CREATE TABLE " + shadowOf(table) + " LIKE " + table));
        }

        @Override
        void swap(List<String> tables) {
            dropRetired(tables);
            StringJoiner renames = new StringJoiner(", ", "RENAME TABLE ", "");
            for (String table : tables) {
                renames.add(table + " TO " + retiredOf(table)).add(shadowOf(table) + " TO " + table);
            }
            // atomic: a concurrent query sees either the old tables or the new ones
            jdbc.execute(renames.toString());
        }

        @Override
        boolean exists(String table) {
            Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables"
                                                        + " WHERE table_schema = DATABASE() AND table_name = ?",
                                                Integer.class, table);
            return count != null && count > 0;
        }
    }

    /**
     * The embedded H2 database (MySQL mode). Index and constraint names are unique per schema in H2, so a shadow's
     * carry the suffix {@code __rebuild}, which is taken off again once the retired table is gone: later migrations
     * find the names they expect.
     */
    private static final class H2 extends ShadowTables {

        private static final Logger log = LoggerFactory.getLogger(H2.class);
        private static final String SUFFIX = "__rebuild";
        private static final Pattern INDEX_NAME =
                Pattern.compile("^(CREATE (?:UNIQUE )?INDEX \"[^\"]+\"\\.\")([^\"]+)\"");
        private static final Pattern CONSTRAINT_NAME = Pattern.compile("(ADD CONSTRAINT \"[^\"]+\"\\.\")([^\"]+)\"");

        private final DataSource dataSource;

        H2(JdbcTemplate jdbc, DataSource dataSource) {
            super(jdbc);
            this.dataSource = dataSource;
        }

        @Override
        void create(List<String> tables) {
            dropShadows(tables);
            for (String table : tables) {
                for (String statement : shadowDdl(table)) {
                    jdbc.execute(statement);
                }
            }
        }

        /** The DDL H2 reports for the live table (table, keys, indexes), renamed for the shadow. */
        private List<String> shadowDdl(String table) {
            List<String> script = jdbc.queryForList("SCRIPT NODATA NOPASSWORDS NOSETTINGS TABLE \"" + table + "\"",
                                                    String.class);
            List<String> ddl = new ArrayList<>();
            for (String line : script) {
                String statement = line.strip();
                if (!(statement.startsWith("CREATE ") && !statement.startsWith("CREATE USER ")
                        || statement.startsWith("ALTER TABLE "))) {
                    continue; // comments, the user, row counts
                }
                statement = statement.replace(".\"" + table + "\"", ".\"" + shadowOf(table) + "\"");
                statement = suffixed(INDEX_NAME, statement);
                statement = suffixed(CONSTRAINT_NAME, statement);
                ddl.add(statement.endsWith(";") ? statement.substring(0, statement.length() - 1) : statement);
            }
            if (ddl.isEmpty()) {
                throw new IllegalStateException("H2 reported no definition of table " + table);
            }
            return ddl;
        }

        private static String suffixed(Pattern name, String statement) {
            Matcher matcher = name.matcher(statement);
            return matcher.find()
                    ? statement.substring(0, matcher.start()) + matcher.group(1) + matcher.group(2) + SUFFIX + "\""
                      + statement.substring(matcher.end())
                    : statement;
        }

        @Override
        void swap(List<String> tables) {
            dropRetired(tables);
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                boolean exclusive = exclusive(statement);
                try {
                    for (String table : tables) {
                        statement.execute("ALTER TABLE \"" + table + "\" RENAME TO \"" + retiredOf(table) + "\"");
                        statement.execute("ALTER TABLE \"" + shadowOf(table) + "\" RENAME TO \"" + table + "\"");
                    }
                } finally {
                    if (exclusive) {
                        statement.execute("SET EXCLUSIVE 0");
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot swap the rebuilt tables " + tables + " in: " + e.getMessage(),
                                                e);
            }
        }

        /** Pauses every other connection's statements; only an administrator of the database may. */
        private static boolean exclusive(Statement statement) {
            try {
                statement.execute("SET EXCLUSIVE 1");
                return true;
            } catch (SQLException e) {
                log.warn("The read-model database user may not put H2 in exclusive mode ({}); queries during the swap"
                                 + " of the rebuilt tables may find a table missing", e.getMessage());
                return false;
            }
        }

        @Override
        void dropRetired(List<String> tables) {
            super.dropRetired(tables);
            for (String table : tables) {
                if (exists(table)) {
                    restoreNames(table);
                }
            }
        }

        private void restoreNames(String table) {
            for (String index : jdbc.queryForList("SELECT index_name FROM information_schema.indexes"
                                                          + " WHERE table_schema = CURRENT_SCHEMA AND table_name = ?",
                                                  String.class, table)) {
                String original = unsuffixed(index);
                if (!original.equals(index) && !indexExists(original)) {
                    jdbc.execute("ALTER INDEX \"" + index + "\" RENAME TO \"" + original + "\"");
                }
            }
            for (String constraint : jdbc.queryForList(
                    "SELECT constraint_name FROM information_schema.table_constraints"
                            + " WHERE table_schema = CURRENT_SCHEMA AND table_name = ?", String.class, table)) {
                String original = unsuffixed(constraint);
                if (!original.equals(constraint)) {
                    jdbc.execute("ALTER TABLE \"" + table + "\" RENAME CONSTRAINT \"" + constraint + "\" TO \""
                                         + original + "\"");
                }
            }
        }

        private boolean indexExists(String index) {
            Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.indexes"
                                                        + " WHERE table_schema = CURRENT_SCHEMA AND index_name = ?",
                                                Integer.class, index);
            return count != null && count > 0;
        }

        private static String unsuffixed(String name) {
            String original = name;
            while (original.endsWith(SUFFIX)) {
                original = original.substring(0, original.length() - SUFFIX.length());
            }
            return original;
        }

        @Override
        boolean exists(String table) {
            Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables"
                                                        + " WHERE table_schema = CURRENT_SCHEMA AND table_name = ?",
                                                Integer.class, table);
            return count != null && count > 0;
        }
    }
}
