package org.mcpplatform.migration;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.mcpplatform.projection.ReadModelConfiguration;
import org.mcpplatform.support.EmbeddedPlatform;
import org.mcpplatform.support.TestServices;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A fresh database of one of the kinds the read model runs on, a Flyway for it configured as the platform configures
 * its own, and what the tests compare: the schema and rows, read through JDBC metadata (not the way the rollback reads
 * them), and the schema history.
 */
final class MigrationDatabase implements AutoCloseable {

    enum Kind { MARIADB, H2 }

    /** A table or view: its columns, its indexes and its rows, each as text, in a stable order. */
    record TableState(String type, List<String> columns, List<String> indexes, List<String> rows) {
    }

    /** A row of Flyway's schema history; on H2 Flyway also writes a row of type TABLE, with no version. */
    record HistoryRow(int installedRank, String version, String script, String type, boolean success) {

        boolean isMigration() {
            return type.equals("SQL") || type.equals("JDBC");
        }
    }

    static final String HISTORY = "flyway_schema_history";

    final Kind kind;
    final String url;
    private final String user;
    private final String password;
    /** Keeps an H2 database open between the connections of a test, as the platform's pool does. */
    private final Connection keepOpen;

    private MigrationDatabase(Kind kind, String url, String user, String password) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        try {
            this.keepOpen = kind == Kind.H2 ? connect() : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** MariaDB: a new database on the test server; H2: a new file under {@code directory}, as the embedded default. */
    static MigrationDatabase fresh(Kind kind, Path directory) {
        return switch (kind) {
            case MARIADB -> new MigrationDatabase(kind, TestServices.freshDatabase(), TestServices.MYSQL_USER,
                                                  TestServices.MYSQL_PASSWORD);
            case H2 -> new MigrationDatabase(kind, "jdbc:h2:file:" + directory.resolve("readmodel-" + UUID.randomUUID())
                    + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE", "sa", "");
        };
    }

    /** The read model of an embedded platform (H2 file under its data directory), left in place on close. */
    static MigrationDatabase embedded(Path dataDir) {
        return new MigrationDatabase(Kind.H2, EmbeddedPlatform.readModelUrl(dataDir), "sa", "");
    }

    /** {@code locations} as Flyway takes them ("classpath:db/migration", "filesystem:/tmp/x"). */
    Flyway flyway(FailedMigrationRollback rollback, List<String> locations, Callback... more) {
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(rollback);
        callbacks.addAll(List.of(more));
        return Flyway.configure()
                     .dataSource(url, user, password)
                     .locations(locations.toArray(String[]::new))
                     .placeholders(Map.of("table_options", ReadModelConfiguration.tableOptions(url)))
                     .callbacks(callbacks.toArray(Callback[]::new))
                     .load();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Every table and view but the schema history, by name. */
    Map<String, TableState> state() throws SQLException {
        Map<String, TableState> tables = new TreeMap<>();
        try (Connection connection = connect()) {
            DatabaseMetaData meta = connection.getMetaData();
            String catalog = connection.getCatalog();
            String schema = connection.getSchema();
            try (ResultSet rows = meta.getTables(catalog, schema, "%", new String[]{"TABLE", "VIEW", "BASE TABLE"})) {
                while (rows.next()) {
                    String name = rows.getString("TABLE_NAME");
                    if (!name.equalsIgnoreCase(HISTORY)) {
                        tables.put(name, new TableState(rows.getString("TABLE_TYPE"),
                                                        columns(meta, catalog, schema, name),
                                                        indexes(meta, catalog, schema, name),
                                                        rows(connection, name)));
                    }
                }
            }
        }
        return tables;
    }

    /** How {@code after} differs from {@code before}, table by table, for readable failures. */
    static List<String> differences(Map<String, TableState> before, Map<String, TableState> after) {
        List<String> differences = new ArrayList<>();
        for (String table : before.keySet()) {
            TableState was = before.get(table);
            TableState is = after.get(table);
            if (is == null) {
                differences.add(table + " is missing");
            } else if (!is.equals(was)) {
                differences.add(table + " was " + was + " and is " + is);
            }
        }
        after.keySet().stream().filter(table -> !before.containsKey(table))
             .forEach(table -> differences.add(table + " is new: " + after.get(table)));
        return differences;
    }

    List<HistoryRow> history() throws SQLException {
        List<HistoryRow> history = new ArrayList<>();
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT installed_rank, version, script, type, success FROM "
                                                             + HISTORY + " ORDER BY installed_rank")) {
            while (rows.next()) {
                history.add(new HistoryRow(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4),
                                           rows.getBoolean(5)));
            }
        }
        return history;
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> columns(DatabaseMetaData meta, String catalog, String schema, String table)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rows = meta.getColumns(catalog, schema, table, "%")) {
            while (rows.next()) {
                columns.add(rows.getInt("ORDINAL_POSITION") + " " + rows.getString("COLUMN_NAME") + " "
                                    + rows.getString("TYPE_NAME") + "(" + rows.getInt("COLUMN_SIZE") + ","
                                    + rows.getInt("DECIMAL_DIGITS") + ") nullable=" + rows.getString("IS_NULLABLE")
                                    + " default=" + rows.getString("COLUMN_DEF")
                                    + " auto=" + rows.getString("IS_AUTOINCREMENT"));
            }
        }
        columns.sort(null);
        return columns;
    }

    private static List<String> indexes(DatabaseMetaData meta, String catalog, String schema, String table)
            throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (ResultSet rows = meta.getIndexInfo(catalog, schema, table, false, false)) {
            while (rows.next()) {
                if (rows.getString("INDEX_NAME") != null) {
                    // H2 names the indexes behind constraints after an internal object id, which differs between
                    // two databases that went through the same migrations
                    String name = rows.getString("INDEX_NAME").replaceAll("^PRIMARY_KEY_[0-9A-F]+$", "PRIMARY_KEY")
                                      .replaceAll("_INDEX_[0-9A-F]+$", "_INDEX");
                    indexes.add(name + " unique=" + !rows.getBoolean("NON_UNIQUE") + " "
                                        + rows.getShort("ORDINAL_POSITION") + ":" + rows.getString("COLUMN_NAME"));
                }
            }
        }
        indexes.sort(null);
        return indexes;
    }

    private List<String> rows(Connection connection, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        String quoted = kind == Kind.MARIADB ? "`" + table + "`" : "\"" + table + "\"";
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + quoted)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    values.add(Objects.toString(result.getString(column)));
                }
                rows.add(String.join(" | ", values));
            }
        }
        rows.sort(null);
        return rows;
    }

    @Override
    public void close() throws SQLException {
        if (kind == Kind.MARIADB) {
            TestServices.dropDatabase(url);
        } else {
            keepOpen.close();
        }
    }
}
