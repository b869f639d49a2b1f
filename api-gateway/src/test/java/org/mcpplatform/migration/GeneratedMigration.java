package org.mcpplatform.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Generated migrations over the platform's own schema (V1..V7): a base migration that adds tables with rows and puts
 * rows into mcp_tools and mcp_usage_stats, then a change that creates, alters, fills, empties, renames and drops, and
 * fails at a chosen statement. A model of the tables keeps every generated statement valid where it stands, so that
 * the change without its failing statement applies cleanly, and says what the schema looks like afterwards.
 */
final class GeneratedMigration {

    /**
     * @param baseRows     the rows of each base table (1 to 3 tables)
     * @param usageRows    rows put into mcp_usage_stats by the base migration
     * @param toolRows     rows put into mcp_tools by the base migration
     * @param operations   the change's operations, each a number read by {@link #change}
     * @param failureKind  how the change fails
     * @param failureAt    after how many of its operations it fails (taken modulo their number + 1)
     * @param seed         the choices of tables, columns and values
     */
    record Plan(List<Integer> baseRows, int usageRows, int toolRows, List<Integer> operations, int failureKind,
                int failureAt, long seed) {
    }

    /** A table as the model sees it: its columns in order, its indexes, the ids of its rows (generated tables). */
    static final class Table {
        final String name;
        final boolean generated;
        final List<String> columns;
        final Map<String, String> indexes = new LinkedHashMap<>();
        final TreeSet<Integer> ids = new TreeSet<>();

        Table(String name, boolean generated, List<String> columns) {
            this.name = name;
            this.generated = generated;
            this.columns = new ArrayList<>(columns);
        }

        List<String> indexable() {
            return generated ? List.of("label", "amount") : columns.subList(0, 2);
        }

        List<String> droppable() {
            return columns.stream().filter(column -> column.equals("note") || column.startsWith("extra_")).toList();
        }
    }

    private static final List<String> GENERATED_COLUMNS = List.of("id", "label", "amount", "note");

    final Map<String, Table> tables = new LinkedHashMap<>();
    final Set<String> removed = new TreeSet<>();
    final Set<String> added = new TreeSet<>();
    private final Random random;
    private int names;

    GeneratedMigration(long seed) {
        this.random = new Random(seed);
        // the two tables of V1..V7 the change touches, with columns it may index (first two) and the indexes it may drop
        Table tools = new Table("mcp_tools", false, List.of("name", "version"));
        tools.indexes.put("idx_mcp_tools_status", "status");
        tools.indexes.put("idx_mcp_tools_updated_at", "updated_at");
        Table usage = new Table("mcp_usage_stats", false, List.of("method", "status"));
        usage.indexes.put("idx_mcp_usage_stats_deployment", "deployment_id");
        tables.put(tools.name, tools);
        tables.put(usage.name, usage);
    }

    /** The base migration: tables base_1.. with an index and rows, and rows in mcp_usage_stats and mcp_tools. */
    String base(Plan plan) {
        List<String> statements = new ArrayList<>();
        for (int i = 1; i <= plan.baseRows().size(); i++) {
            Table table = new Table("base_" + i, true, GENERATED_COLUMNS);
            statements.add(createTable(table.name));
            statements.add("CREATE INDEX idx_base_" + i + "_amount ON " + table.name + " (amount)");
            table.indexes.put("idx_base_" + i + "_amount", "amount");
            tables.put(table.name, table);
            for (int row = 0; row < plan.baseRows().get(i - 1); row++) {
                statements.add(insertRow(table));
            }
        }
        for (int row = 0; row < plan.usageRows(); row++) {
            statements.add(insertUsage());
        }
        for (int row = 0; row < plan.toolRows(); row++) {
            String id = UUID.randomUUID().toString();
            statements.add("INSERT INTO mcp_tools (id, name, slug, description, version, config, author_id, revision, "
                                   + "created_at, updated_at) VALUES ('" + id + "', 'Tool " + row + "', 'tool-" + id
                                   + "', NULL, '1.0." + row + "', '{\"command\":\"node\"}', '" + UUID.randomUUID()
                                   + "', 1, '2024-05-01 10:00:00.123456', '2024-05-01 10:00:00.123456')");
        }
        return script(statements);
    }

    /** The change: [0] fails after {@code failureAt} of its operations, [1] is the same without its failure. */
    String[] change(Plan plan) {
        List<String> statements = new ArrayList<>();
        int failAt = plan.failureAt() % (plan.operations().size() + 1);
        String failure = null;
        int position = 0;
        for (int i = 0; i <= plan.operations().size(); i++) {
            if (i == failAt) {
                failure = failure(plan.failureKind());
                position = statements.size();
            }
            if (i < plan.operations().size()) {
                statements.addAll(operation(plan.operations().get(i)));
            }
        }
        List<String> failing = new ArrayList<>(statements);
        failing.add(position, failure);
        return new String[]{script(failing), script(statements)};
    }

    private List<String> operation(int kind) {
        List<Table> generated = tables.values().stream().filter(table -> table.generated).toList();
        List<Table> all = List.copyOf(tables.values());
        switch (kind) {
            case 0 -> {
                Table table = new Table("new_" + (++names), true, GENERATED_COLUMNS);
                tables.put(table.name, table);
                added.add(table.name);
                List<String> statements = new ArrayList<>(List.of(createTable(table.name)));
                for (int row = random.nextInt(3); row > 0; row--) {
                    statements.add(insertRow(table));
                }
                return statements;
            }
            case 1 -> {
                Table table = pick(all);
                String column = "extra_" + (++names);
                table.columns.add(column);
                return List.of("ALTER TABLE " + table.name + " ADD COLUMN " + column + " INT NOT NULL DEFAULT 5");
            }
            case 2 -> {
                Table table = pick(all);
                String index = "idx_new_" + (++names);
                String column = pick(table.indexable());
                table.indexes.put(index, column);
                return List.of("CREATE INDEX " + index + " ON " + table.name + " (" + column + ")");
            }
            case 3 -> {
                return generated.isEmpty() ? List.of(insertUsage()) : List.of(insertRow(pick(generated)));
            }
            case 4 -> {
                if (generated.isEmpty()) {
                    return List.of("UPDATE mcp_usage_stats SET status = 'error', http_status = 500");
                }
                return List.of("UPDATE " + pick(generated).name + " SET label = 'updated', amount = "
                                       + random.nextInt(100));
            }
            case 5 -> {
                if (generated.isEmpty() || random.nextBoolean()) {
                    return List.of("DELETE FROM mcp_usage_stats WHERE http_status = 200");
                }
                Table table = pick(generated);
                int from = random.nextInt(4);
                table.ids.removeIf(id -> id > from);
                return List.of("DELETE FROM " + table.name + " WHERE id > " + from);
            }
            case 6 -> {
                List<Table> candidates = all.stream().filter(table -> !table.droppable().isEmpty()).toList();
                if (candidates.isEmpty()) {
                    return List.of();
                }
                Table table = pick(candidates);
                String column = pick(table.droppable());
                table.columns.remove(column);
                return List.of("ALTER TABLE " + table.name + " DROP COLUMN " + column);
            }
            case 7 -> {
                List<Table> candidates = all.stream().filter(table -> !table.indexes.isEmpty()).toList();
                if (candidates.isEmpty()) {
                    return List.of();
                }
                Table table = pick(candidates);
                String index = pick(List.copyOf(table.indexes.keySet()));
                table.indexes.remove(index);
                return List.of("DROP INDEX " + index + " ON " + table.name);
            }
            case 8 -> {
                if (generated.isEmpty()) {
                    return List.of();
                }
                Table table = pick(generated);
                tables.remove(table.name);
                forget(table.name);
                return List.of("DROP TABLE " + table.name);
            }
            case 9 -> {
                if (generated.isEmpty()) {
                    return List.of();
                }
                Table table = pick(generated);
                Table renamed = new Table("renamed_" + (++names), true, table.columns);
                renamed.indexes.putAll(table.indexes);
                renamed.ids.addAll(table.ids);
                tables.remove(table.name);
                forget(table.name);
                tables.put(renamed.name, renamed);
                added.add(renamed.name);
                return List.of("ALTER TABLE " + table.name + " RENAME TO " + renamed.name);
            }
            case 10 -> {
                if (generated.isEmpty()) {
                    return List.of();
                }
                return List.of("ALTER TABLE " + pick(generated).name + " MODIFY COLUMN label VARCHAR(80) NOT NULL");
            }
            default -> {
                return List.of(insertUsage());
            }
        }
    }

    /** A statement that fails where it stands, for one of several reasons. */
    private String failure(int kind) {
        List<Table> withRows = tables.values().stream().filter(table -> !table.ids.isEmpty()).toList();
        List<Table> all = List.copyOf(tables.values());
        return switch (kind) {
            case 1 -> "CREATE TABLE " + pick(all).name + " (id INT NOT NULL)";
            case 2 -> {
                if (withRows.isEmpty()) {
                    yield "INSERT INTO no_such_table (id) VALUES (1)";
                }
                Table table = pick(withRows);
                yield "INSERT INTO " + table.name + " (id, label) VALUES (" + table.ids.first() + ", 'duplicate')";
            }
            case 3 -> {
                Table table = pick(all);
                yield "ALTER TABLE " + table.name + " ADD COLUMN " + table.columns.get(0) + " INT NULL";
            }
            case 4 -> "UPDATE " + pick(all).name + " SET no_such_column = 1";
            default -> "INSERT INTO no_such_table (id) VALUES (1)";
        };
    }

    /** A table the change drops or renames away leaves its name free; the model forgets it was ever added. */
    private void forget(String name) {
        if (!added.remove(name)) {
            removed.add(name);
        }
    }

    private static String createTable(String name) {
        return "CREATE TABLE " + name + " (id INT NOT NULL, label VARCHAR(40) NOT NULL, amount INT NULL, "
                + "note VARCHAR(40) NULL, PRIMARY KEY (id)) ${table_options}";
    }

    private String insertRow(Table table) {
        int id = table.ids.isEmpty() ? 1 : table.ids.last() + 1;
        table.ids.add(id);
        StringBuilder columns = new StringBuilder("id, label");
        StringBuilder values = new StringBuilder(id + ", 'row " + id + "'");
        if (table.columns.contains("amount")) {
            columns.append(", amount");
            values.append(", ").append(random.nextInt(1000));
        }
        if (table.columns.contains("note") && random.nextBoolean()) {
            columns.append(", note");
            values.append(", 'note ").append(random.nextInt(10)).append("'");
        }
        return "INSERT INTO " + table.name + " (" + columns + ") VALUES (" + values + ")";
    }

    private String insertUsage() {
        return "INSERT INTO mcp_usage_stats (tool_id, deployment_id, method, tool_name, status, http_status, "
                + "response_time_us, user_id, created_at) VALUES ('" + UUID.randomUUID() + "', NULL, 'tools/call', "
                + "'search', 'ok', 200, " + random.nextInt(100000) + ", NULL, '2024-05-01 10:00:0"
                + random.nextInt(10) + ".000001')";
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static String script(List<String> statements) {
        return String.join(";\n", statements) + (statements.isEmpty() ? "" : ";\n");
    }
}
