package org.mcpplatform.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@link FailedMigrationRollback} needs to know of the two databases the read model runs on: how to list the
 * tables and views of the current schema, how to get a statement that recreates one exactly, and how to copy rows.
 */
sealed interface SchemaDialect {

    /** MySQL and MariaDB (production and tests), H2 in MySQL mode (the embedded default); nothing else. */
    static Optional<SchemaDialect> of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (product.equalsIgnoreCase("MySQL") || product.equalsIgnoreCase("MariaDB")) {
            return Optional.of(new MySql());
        }
        if (product.equalsIgnoreCase("H2")) {
            return Optional.of(new H2());
        }
        return Optional.empty();
    }

    String quote(String identifier);

    /** The SQL expression naming the schema the migration runs in. */
    String currentSchema();

    /** The statements that create {@code name} (a table or a view) as it is now, AUTO_INCREMENT counter included. */
    List<String> definition(Connection connection, String name, boolean view) throws SQLException;

    /** {@code definition} without what changes with data alone (the AUTO_INCREMENT counter), for comparison. */
    String shape(List<String> definition);

    /** Creates {@code copy} holding the values of {@code columns} of every row of {@code table}. */
    void copyRows(Connection connection, String table, String copy, List<String> columns) throws SQLException;

    /** Runs {@code work} with foreign keys unchecked, so that a table others reference can be dropped and refilled. */
    void withoutForeignKeyChecks(Connection connection, SqlWork work) throws SQLException;

    default String dropTable(String table) {
        return "DROP TABLE " + quote(table);
    }

    /** A large text column type for the journal. */
    default String textType() {
        return "LONGTEXT";
    }

    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

    /** The tables and views of the current schema, by name: true for a view. */
    default Map<String, Boolean> objects(Connection connection) throws SQLException {
        Map<String, Boolean> objects = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT table_name, table_type FROM information_schema.tables "
                                                             + "WHERE table_schema = " + currentSchema()
                                                             + " ORDER BY table_name")) {
            while (rows.next()) {
                objects.put(rows.getString(1), "VIEW".equalsIgnoreCase(rows.getString(2)));
            }
        }
        return objects;
    }

    /** The columns of {@code table} that hold values (generated columns are computed again on insert). */
    default List<String> storedColumns(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = " + currentSchema()
                        + " AND table_name = ? AND (generation_expression IS NULL OR generation_expression = '')"
                        + " ORDER BY ordinal_position")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return columns;
    }

    default String columnList(List<String> columns) {
        return String.join(", ", columns.stream().map(this::quote).toList());
    }

    final class MySql implements SchemaDialect {

        @Override
        public String quote(String identifier) {
            return "`" + identifier.replace("`", "``") + "`";
        }

        @Override
        public String currentSchema() {
            return "DATABASE()";
        }

        /** SHOW CREATE TABLE / VIEW: MySQL's own exact statement, foreign keys, charsets and options included. */
        @Override
        public List<String> definition(Connection connection, String name, boolean view) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery((view ? "SHOW CREATE VIEW " : "SHOW CREATE TABLE ")
                                                                + quote(name))) {
                row.next();
                return List.of(row.getString(2));
            }
        }

        @Override
        public String shape(List<String> definition) {
            return String.join(";\n", definition).replaceAll(" AUTO_INCREMENT=\\d+", "");
        }

        /** CREATE TABLE ... LIKE keeps the column types exactly (CREATE TABLE ... SELECT would derive them). */
        @Override
        public void copyRows(Connection connection, String table, String copy, List<String> columns)
                throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + quote(copy) + " LIKE " + quote(table));
                statement.execute("INSERT INTO " + quote(copy) + " (" + columnList(columns) + ") SELECT "
                                          + columnList(columns) + " FROM " + quote(table));
            }
        }

        @Override
        public void withoutForeignKeyChecks(Connection connection, SqlWork work) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET @mcp_rollback_fk_checks = @@foreign_key_checks, foreign_key_checks = 0");
                try {
                    work.run();
                } finally {
                    statement.execute("SET foreign_key_checks = @mcp_rollback_fk_checks");
                }
            }
        }
    }

    final class H2 implements SchemaDialect {

        @Override
        public String quote(String identifier) {
            return "\"" + identifier.replace("\"", "\"\"") + "\"";
        }

        @Override
        public String currentSchema() {
            return "SCHEMA()";
        }

        /**
         * H2 has no SHOW CREATE TABLE; its SCRIPT command writes the statements that recreate a table (columns, then
         * constraints and indexes, one statement a row). The user and comment rows it adds are left out.
         */
        @Override
        public List<String> definition(Connection connection, String name, boolean view) throws SQLException {
            List<String> statements = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SCRIPT NODATA NOPASSWORDS NOSETTINGS NOVERSION TABLE "
                                                                 + quote(name))) {
                while (rows.next()) {
                    String sql = rows.getString(1).strip();
                    if (sql.startsWith("--") || sql.startsWith("CREATE USER ")) {
                        continue;
                    }
                    statements.add(sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql);
                }
            }
            return statements;
        }

        @Override
        public String shape(List<String> definition) {
            return String.join(";\n", definition).replaceAll(" RESTART WITH \\d+", "");
        }

        @Override
        public void copyRows(Connection connection, String table, String copy, List<String> columns)
                throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + quote(copy) + " AS SELECT " + columnList(columns) + " FROM "
                                          + quote(table));
            }
        }

        /**
         * H2 can only switch referential integrity off for the whole database, which other connections would see; a
         * table other tables reference cannot be dropped then, and the rollback reports it (the read model has no
         * foreign keys).
         */
        @Override
        public void withoutForeignKeyChecks(Connection connection, SqlWork work) throws SQLException {
            work.run();
        }

        @Override
        public String textType() {
            return "CLOB";
        }

        /** CASCADE: H2 refuses to drop a table another one references; their constraints are compared afterwards. */
        @Override
        public String dropTable(String table) {
            return "DROP TABLE " + quote(table) + " CASCADE";
        }
    }
}
