package org.mcpplatform.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The state of the schema before the migration that is running, kept in the database itself (table
 * {@value #TABLE}, copies of rows in tables {@value #PREFIX}&lt;run&gt;_&lt;n&gt;) so that it outlives the process: a
 * rollback interrupted by a crash, or a migration during which the process died, is finished by the next start.
 */
final class RollbackJournal {

    /** The journal and the copies share this prefix; nothing of it belongs to the schema being migrated. */
    static final String PREFIX = "flyway_rollback_";
    static final String TABLE = PREFIX + "journal";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<SchemaObject>> OBJECTS = new TypeReference<>() {
    };

    /**
     * A table or view as it was before the migration.
     *
     * @param definition  the statements that create it again, exactly
     * @param named       the migration's script names it, so its rows may change too: they are put back
     * @param copy        the table holding its rows; null when it is not named, is a view, or had no rows
     * @param copyColumns the columns copied (generated columns are computed again)
     */
    record SchemaObject(String name, boolean view, List<String> definition, boolean named, String copy,
                        List<String> copyColumns) {
    }

    /** One migration's journal: which migration, and the schema before it. */
    record Entry(String run, String script, String version, Integer checksum, List<SchemaObject> objects) {
    }

    private final Connection connection;
    private final SchemaDialect dialect;

    RollbackJournal(Connection connection, SchemaDialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    static boolean isOwn(String name) {
        return name.toLowerCase().startsWith(PREFIX);
    }

    void createIfMissing() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + dialect.quote(TABLE) + " ("
                                      + "run_id VARCHAR(36) NOT NULL, "
                                      + "script VARCHAR(1000) NOT NULL, "
                                      + "version VARCHAR(50) NULL, "
                                      + "checksum INT NULL, "
                                      + "objects " + dialect.textType() + " NOT NULL, "
                                      + "PRIMARY KEY (run_id))");
        }
    }

    List<Entry> entries() throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT run_id, script, version, checksum, objects FROM "
                                                             + dialect.quote(TABLE))) {
            while (rows.next()) {
                int checksum = rows.getInt(4);
                entries.add(new Entry(rows.getString(1), rows.getString(2), rows.getString(3),
                                      rows.wasNull() ? null : checksum, fromJson(rows.getString(5))));
            }
        }
        return entries;
    }

    /**
     * Writes down every table and view of the schema (but {@code ignored} and the journal's own), and copies the rows
     * of the tables in {@code named} that have any. Committed before it returns: the migration's statements must not
     * be able to take it back.
     */
    Entry record(String script, String version, Integer checksum, Set<String> named, Set<String> ignored)
            throws SQLException {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        List<SchemaObject> objects = new ArrayList<>();
        Entry entry = new Entry(run, script, version, checksum, objects);
        try {
            int copies = 0;
            for (Map.Entry<String, Boolean> object : schemaObjects(ignored).entrySet()) {
                String name = object.getKey();
                boolean view = object.getValue();
                List<String> definition = dialect.definition(connection, name, view);
                boolean isNamed = !view && named.contains(name);
                String copy = null;
                List<String> columns = List.of();
                if (isNamed && hasRows(name)) {
                    copy = PREFIX + run + "_" + (++copies);
                    columns = dialect.storedColumns(connection, name);
                    objects.add(new SchemaObject(name, view, definition, true, copy, columns));
                    dialect.copyRows(connection, name, copy, columns);
                } else {
                    objects.add(new SchemaObject(name, view, definition, isNamed, null, columns));
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + dialect.quote(TABLE) + " (run_id, script, version, checksum, objects) "
                            + "VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, run);
                insert.setString(2, script);
                insert.setString(3, version);
                if (checksum == null) {
                    insert.setNull(4, Types.INTEGER);
                } else {
                    insert.setInt(4, checksum);
                }
                insert.setString(5, toJson(objects));
                insert.executeUpdate();
            }
            commit();
        } catch (SQLException | RuntimeException e) {
            // the migration does not run now: no copy is left behind without a journal naming it
            try {
                discard(entry);
            } catch (SQLException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return entry;
    }

    /** Drops the copies and the journal of {@code entry}: its migration succeeded, or was rolled back. */
    void discard(Entry entry) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (SchemaObject object : entry.objects()) {
                if (object.copy() != null) {
                    statement.execute("DROP TABLE IF EXISTS " + dialect.quote(object.copy()));
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + dialect.quote(TABLE) + " WHERE run_id = ?")) {
            delete.setString(1, entry.run());
            delete.executeUpdate();
        }
        commit();
    }

    /**
     * Puts the schema back as {@code entry} recorded it: drops what the migration created, recreates what it changed
     * or dropped, and refills the tables it names from their copies. Returns what could not be put back (empty when
     * the schema, compared again afterwards, equals the recorded one).
     */
    List<String> rollBack(Entry entry, Set<String> ignored) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback(); // what the migration wrote since its last DDL statement (which committed)
        }
        List<String> problems = new ArrayList<>();
        Set<String> recorded = new HashSet<>();
        entry.objects().forEach(object -> recorded.add(object.name()));
        dialect.withoutForeignKeyChecks(connection, () -> {
            // views hold no rows: all of them go first (H2 cannot drop a table a view depends on) and the recorded
            // ones come back last, once the tables they read are back
            Map<String, Boolean> now = schemaObjects(ignored);
            for (Map.Entry<String, Boolean> object : now.entrySet()) {
                if (object.getValue()) {
                    attempt(problems, "drop view " + object.getKey(),
                            () -> execute("DROP VIEW " + dialect.quote(object.getKey())));
                } else if (!recorded.contains(object.getKey())) {
                    attempt(problems, "drop table " + object.getKey() + " (the migration created it)",
                            () -> execute(dialect.dropTable(object.getKey())));
                }
            }
            for (SchemaObject old : entry.objects()) {
                if (!old.view()) {
                    attempt(problems, "restore table " + old.name(),
                            () -> restoreTable(old, Boolean.FALSE.equals(now.get(old.name())), problems));
                }
            }
            for (SchemaObject old : entry.objects()) {
                if (old.view()) {
                    attempt(problems, "recreate view " + old.name(), () -> create(old));
                }
            }
        });
        commit();
        for (String difference : differences(entry, ignored)) {
            if (!problems.contains(difference)) {
                problems.add(difference);
            }
        }
        return problems;
    }

    /** How the schema now differs from the one {@code entry} recorded, table by table. */
    List<String> differences(Entry entry, Set<String> ignored) throws SQLException {
        List<String> differences = new ArrayList<>();
        Map<String, Boolean> now = schemaObjects(ignored);
        for (SchemaObject old : entry.objects()) {
            if (!now.containsKey(old.name())) {
                differences.add(old.name() + " is missing");
            } else if (now.get(old.name()) != old.view() || !sameShape(old)) {
                differences.add(old.name() + " differs from its definition before the migration");
            } else if (old.copy() != null && count(old.name()) != count(old.copy())) {
                differences.add(old.name() + " does not hold the rows it held before the migration");
            } else if (old.named() && old.copy() == null && count(old.name()) != 0) {
                differences.add(old.name() + " was empty before the migration and is not now");
            }
        }
        for (String name : now.keySet()) {
            if (before(entry, name) == null) {
                differences.add(name + " was created by the migration and is still there");
            }
        }
        return differences;
    }

    private static SchemaObject before(Entry entry, String name) {
        return entry.objects().stream().filter(object -> object.name().equals(name)).findFirst().orElse(null);
    }

    private void restoreTable(SchemaObject old, boolean exists, List<String> problems) throws SQLException {
        if (exists && sameShape(old)) {
            if (old.named()) {
                refill(old);
            }
            return;
        }
        if (exists && !old.named()) {
            // only a migration that builds its SQL at run time changes a table it does not name; its rows were not
            // copied, so dropping the table to recreate it would lose them: an operator has to look at it
            problems.add("table " + old.name() + " was changed by the migration, which does not name it, so its "
                                 + "rows were not copied: it is left as the migration left it");
            return;
        }
        if (exists) {
            execute(dialect.dropTable(old.name()));
        }
        create(old);
        if (!old.named() && !exists) {
            problems.add("table " + old.name() + " was dropped by the migration, which does not name it: it is "
                                 + "recreated empty");
        }
        refill(old);
    }

    /** The rows of {@code old} as they were: in one transaction, so that a failure leaves them as they are now. */
    private void refill(SchemaObject old) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            execute("DELETE FROM " + dialect.quote(old.name()));
            if (old.copy() != null) {
                String columns = dialect.columnList(old.copyColumns());
                execute("INSERT INTO " + dialect.quote(old.name()) + " (" + columns + ") SELECT " + columns + " FROM "
                                + dialect.quote(old.copy()));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private void create(SchemaObject old) throws SQLException {
        for (String statement : old.definition()) {
            execute(statement);
        }
    }

    private boolean sameShape(SchemaObject old) throws SQLException {
        return dialect.shape(old.definition()).equals(dialect.shape(dialect.definition(connection, old.name(), old.view())));
    }

    private Map<String, Boolean> schemaObjects(Set<String> ignored) throws SQLException {
        Map<String, Boolean> objects = dialect.objects(connection);
        objects.keySet().removeIf(name -> isOwn(name) || ignored.stream().anyMatch(name::equalsIgnoreCase));
        return objects;
    }

    private boolean hasRows(String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT 1 FROM " + dialect.quote(table) + " LIMIT 1")) {
            return row.next();
        }
    }

    private long count(String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + dialect.quote(table))) {
            row.next();
            return row.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void commit() throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private static void attempt(List<String> problems, String what, SchemaDialect.SqlWork work) {
        try {
            work.run();
        } catch (SQLException | RuntimeException e) {
            problems.add("could not " + what + ": " + e.getMessage());
        }
    }

    private static String toJson(List<SchemaObject> objects) {
        try {
            return JSON.writeValueAsString(objects);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<SchemaObject> fromJson(String json) {
        try {
            return JSON.readValue(json, OBJECTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The migration rollback journal cannot be read: " + e.getMessage(), e);
        }
    }
}
