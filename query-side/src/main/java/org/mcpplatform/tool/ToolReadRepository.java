package org.mcpplatform.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The mcp_tools table (or, for a rebuild, its shadow). Only {@link ToolProjection} calls the writing methods; everyone
 * reads through {@link ToolQueries}.
 */
public class ToolReadRepository {

    private static final String COLUMNS = "id, name, slug, description, version, config, author_id, status, revision, "
            + "created_at, updated_at, deleted_at";
    private static final int IN_CHUNK = 500;

    public static final String TABLE = "mcp_tools";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final ObjectMapper json;
    private final String table;
    private final RowMapper<ToolView> rowMapper = this::toView;

    public ToolReadRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this(jdbc, json, TABLE);
    }

    /** On another table of the same columns: a rebuild's shadow of mcp_tools. */
    ToolReadRepository(JdbcTemplate jdbc, ObjectMapper json, String table) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.json = json;
        this.table = table;
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    /** The row, deleted or not. */
    public Optional<ToolView> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", rowMapper, id)
                   .stream().findFirst();
    }

    public Optional<ToolView> findBySlug(String slug) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + table + " WHERE slug = ?", rowMapper, slug)
                   .stream().findFirst();
    }

    public List<ToolView> findByIds(Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        List<ToolView> views = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            views.addAll(named.query("SELECT " + COLUMNS + " FROM " + table + " WHERE id IN (:ids)",
                                     new MapSqlParameterSource("ids", chunk), rowMapper));
        }
        return views;
    }

    /** The tools that are not deleted, per status; statuses without a tool are left out. */
    public Map<ToolStatus, Long> countByStatus() {
        Map<ToolStatus, Long> counts = new EnumMap<>(ToolStatus.class);
        jdbc.query("SELECT status, COUNT(*) AS tools FROM mcp_tools WHERE deleted_at IS NULL GROUP BY status",
                   (RowCallbackHandler) rs -> counts.put(ToolStatus.fromValue(rs.getString("status")),
                                                         rs.getLong("tools")));
        return counts;
    }

    public ToolPage list(ListTools query) {
        StringBuilder where = new StringBuilder(" WHERE deleted_at IS NULL");
        MapSqlParameterSource params = new MapSqlParameterSource();
        if (query.status() != null) {
            where.append(" AND status = :status");
            params.addValue("status", query.status().value());
        }
        if (query.authorId() != null) {
            where.append(" AND author_id = :author");
            params.addValue("author", query.authorId());
        }
        if (query.text() != null && !query.text().isBlank()) {
            where.append(" AND (name LIKE :text ESCAPE '!' OR slug LIKE :text ESCAPE '!'"
                                 + " OR description LIKE :text ESCAPE '!')");
            params.addValue("text", "%" + escapeLike(query.text().strip()) + "%");
        }
        Long total = named.queryForObject("SELECT COUNT(*) FROM " + table + where, params, Long.class);
        long count = total == null ? 0 : total;
        String direction = query.descending() ? " DESC" : " ASC";
        params.addValue("limit", query.pageSize());
        params.addValue("offset", (long) (query.page() - 1) * query.pageSize());
        List<ToolView> items = count == 0 ? List.of() : named.query(
                "SELECT " + COLUMNS + " FROM " + table + where
                        + " ORDER BY " + column(query.sortField()) + direction + ", id" + direction
                        + " LIMIT :limit OFFSET :offset", params, rowMapper);
        int pages = (int) ((count + query.pageSize() - 1) / query.pageSize());
        return new ToolPage(items, count, query.page(), query.pageSize(), pages);
    }

    private static String column(ToolSortField field) {
        return switch (field) {
            case CREATED_AT -> "created_at";
            case UPDATED_AT -> "updated_at";
            case NAME -> "name";
            case SLUG -> "slug";
            case STATUS -> "status";
            case VERSION -> "version";
        };
    }

    private static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    // ---- writes (the projection's) ----------------------------------------------------------------------------

    void insertAll(List<ToolRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        // Upsert, so that handling a registration twice leaves one identical row.
        jdbc.batchUpdate("INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                 + " ON DUPLICATE KEY UPDATE name = VALUES(name), slug = VALUES(slug),"
                                 + " description = VALUES(description), version = VALUES(version),"
                                 + " config = VALUES(config), author_id = VALUES(author_id), status = VALUES(status),"
                                 + " revision = VALUES(revision), created_at = VALUES(created_at),"
                                 + " updated_at = VALUES(updated_at), deleted_at = VALUES(deleted_at)",
                         rows, rows.size(), (statement, row) -> {
                    Map<String, Object> c = row.columns;
                    statement.setString(1, row.id);
                    statement.setString(2, (String) c.get(ToolRow.NAME));
                    statement.setString(3, (String) c.get("slug"));
                    statement.setString(4, (String) c.get(ToolRow.DESCRIPTION));
                    statement.setString(5, (String) c.get(ToolRow.VERSION));
                    statement.setString(6, (String) c.get(ToolRow.CONFIG));
                    statement.setString(7, (String) c.get("author_id"));
                    statement.setString(8, (String) c.get(ToolRow.STATUS));
                    statement.setLong(9, row.revision);
                    statement.setObject(10, utc((Instant) c.get("created_at")));
                    statement.setObject(11, utc(row.updatedAt));
                    statement.setObject(12, utc((Instant) c.get(ToolRow.DELETED_AT)));
                });
    }

    /**
     * Applies column changes to existing rows, only where the row is older than the change (so a change applied
     * twice is applied once). Returns the ids whose row does not exist at all.
     */
    List<String> updateAll(List<ToolRow> rows) {
        Map<String, List<ToolRow>> byColumns = new LinkedHashMap<>();
        for (ToolRow row : rows) {
            byColumns.computeIfAbsent(String.join(",", row.columns.keySet()), k -> new ArrayList<>()).add(row);
        }
        List<String> untouched = new ArrayList<>();
        for (List<ToolRow> group : byColumns.values()) {
            List<String> columns = List.copyOf(group.get(0).columns.keySet());
            StringJoiner set = new StringJoiner(", ");
            columns.forEach(column -> set.add(column + " = ?"));
            set.add("revision = ?").add("updated_at = ?");
            int[][] counts = jdbc.batchUpdate("UPDATE " + table + " SET " + set + " WHERE id = ? AND revision < ?",
                                              group, group.size(), (statement, row) -> {
                        int index = 1;
                        for (String column : columns) {
                            Object value = row.columns.get(column);
                            statement.setObject(index++, value instanceof Instant instant ? utc(instant) : value);
                        }
                        statement.setLong(index++, row.revision);
                        statement.setObject(index++, utc(row.updatedAt));
                        statement.setString(index++, row.id);
                        statement.setLong(index, row.revision);
                    });
            int i = 0;
            for (int[] batch : counts) {
                for (int count : batch) {
                    if (count == 0) {
                        untouched.add(group.get(i).id);
                    }
                    i++;
                }
            }
        }
        if (untouched.isEmpty()) {
            return List.of();
        }
        List<String> existing = findByIds(untouched).stream().map(ToolView::id).toList();
        return untouched.stream().filter(id -> !existing.contains(id)).toList();
    }

    void deleteAll() {
        jdbc.update("DELETE FROM " + table);
    }

    // ---- mapping ----------------------------------------------------------------------------------------------

    private ToolView toView(ResultSet rs, int rowNum) throws SQLException {
        return new ToolView(rs.getString("id"),
                            rs.getString("name"),
                            rs.getString("slug"),
                            rs.getString("description"),
                            rs.getString("version"),
                            parse(rs.getString("config")),
                            rs.getString("author_id"),
                            ToolStatus.fromValue(rs.getString("status")),
                            instant(rs, "created_at"),
                            instant(rs, "updated_at"),
                            instant(rs, "deleted_at"),
                            rs.getLong("revision"));
    }

    private JsonNode parse(String config) {
        try {
            return json.readTree(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
