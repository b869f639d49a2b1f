package org.mcpplatform.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mcp_deployments table (or, for a rebuild, its shadow). Only {@link DeploymentProjection} calls the writing
 * methods; everyone reads through {@link DeploymentQueries}. Every write of an event sets the row's revision to the
 * event's position in the deployment's stream, so applying an event again writes the same row.
 */
public class DeploymentReadRepository {

    private static final String COLUMNS = "id, tool_id, tool_revision, slug, server, kind, endpoint_path, status, health_status, pid, "
            + "restarts, last_error, requested_by, owner_id, requested_at, started_at, stopped_at, "
            + "last_health_check_at, definitions_changed, definition_changes, revision";
    private static final TypeReference<List<ToolDefinitionChange>> CHANGES = new TypeReference<>() {
    };
    /** Errors come from processes and remote servers; TEXT holds 64 KB, and nobody reads more than the start. */
    private static final int MAX_ERROR_CHARS = 4000;

    public static final String TABLE = "mcp_deployments";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final String table;
    private final RowMapper<DeploymentView> rowMapper = this::toView;

    public DeploymentReadRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this(jdbc, json, TABLE);
    }

    /** On another table of the same columns: a rebuild's shadow of mcp_deployments. */
    DeploymentReadRepository(JdbcTemplate jdbc, ObjectMapper json, String table) {
        this.jdbc = jdbc;
        this.json = json;
        this.table = table;
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    public Optional<DeploymentView> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", rowMapper, id)
                   .stream().findFirst();
    }

    /**
     * Newest first. {@code user} (null: everyone) limits them to the deployments the user requested or whose tool the
     * user owns: the ones a developer may see and stop.
     */
    public List<DeploymentView> list(String user, boolean activeOnly) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + table + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (user != null) {
            sql.append(" AND (requested_by = ? OR owner_id = ?)");
            args.add(user);
            args.add(user);
        }
        if (activeOnly) {
            sql.append(" AND status IN ('starting', 'running')");
        }
        sql.append(" ORDER BY requested_at DESC, id");
        return jdbc.query(sql.toString(), rowMapper, args.toArray());
    }

    /** The deployments that are starting or running (what "active" means in {@link #list}). */
    public long countActive() {
        Long active = jdbc.queryForObject(
                "SELECT COUNT(*) FROM mcp_deployments WHERE status IN ('starting', 'running')", Long.class);
        return active == null ? 0 : active;
    }

    // ---- writes (the projection only) -------------------------------------------------------------------------

    void insert(DeploymentRequested event, Instant at, long revision) {
        jdbc.update("DELETE FROM " + table + " WHERE id = ?", event.deploymentId());
        jdbc.update("INSERT INTO " + table + " (id, tool_id, tool_revision, slug, server, kind, endpoint_path, "
                            + "status, health_status, restarts, requested_by, owner_id, requested_at, "
                            + "definitions_changed, revision) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, 'starting', 'unknown', 0, ?, ?, ?, FALSE, ?)",
                    event.deploymentId(), event.toolId(), event.toolRevision(), event.slug(), event.server(), event.kind().value(),
                    event.endpointPath(), event.requestedBy(), event.ownerId(), utc(at), revision);
    }

    void started(String id, Long pid, Instant at, long revision) {
        update(id, "status = 'running', pid = ?, started_at = ?", revision, pid, utc(at));
    }

    void healthRecorded(String id, HealthStatus health, String error, Instant at, long revision) {
        if (health == null) {
            update(id, "last_health_check_at = ?", revision, utc(at));
        } else if (health == HealthStatus.UNHEALTHY) {
            update(id, "last_health_check_at = ?, health_status = ?, last_error = ?", revision, utc(at),
                   health.value(), clip(error));
        } else {
            update(id, "last_health_check_at = ?, health_status = ?", revision, utc(at), health.value());
        }
    }

    void restarted(String id, int restarts, String reason, long revision) {
        update(id, "status = 'starting', restarts = ?, last_error = ?", revision, restarts, clip(reason));
    }

    void failed(String id, String error, long revision) {
        update(id, "status = 'failed', last_error = ?", revision, clip(error));
    }

    void stopped(String id, Instant at, long revision) {
        update(id, "status = 'stopped', stopped_at = ?", revision, utc(at));
    }

    void definitionsChanged(String id, List<ToolDefinitionChange> changes, long revision) {
        update(id, "definitions_changed = TRUE, definition_changes = ?", revision, write(changes));
    }

    void definitionsTrusted(String id, long revision) {
        update(id, "definitions_changed = FALSE, definition_changes = NULL", revision);
    }

    void deleteAll() {
        jdbc.update("DELETE FROM " + table);
    }

    private void update(String id, String assignments, long revision, Object... values) {
        Object[] args = new Object[values.length + 2];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = revision;
        args[values.length + 1] = id;
        int changed = jdbc.update("UPDATE " + table + " SET " + assignments + ", revision = ? WHERE id = ?", args);
        if (changed == 0) {
            // never skip silently: the read model lost the row (the event is parked, a rebuild mends it)
            throw new IllegalStateException(table + " has no row for deployment " + id
                                                    + " while applying its later events; rebuild the "
                                                    + DeploymentProjection.PROCESSING_GROUP + " projection");
        }
    }

    // ---- mapping ----------------------------------------------------------------------------------------------

    private DeploymentView toView(ResultSet rs, int rowNumber) throws SQLException {
        long pid = rs.getLong("pid");
        Long pidOrNull = rs.wasNull() ? null : pid;
        return new DeploymentView(rs.getString("id"),
                                  rs.getString("tool_id"),
                                  rs.getLong("tool_revision"),
                                  rs.getString("slug"),
                                  rs.getString("server"),
                                  kind(rs.getString("kind")),
                                  rs.getString("endpoint_path"),
                                  DeploymentStatus.fromValue(rs.getString("status")),
                                  HealthStatus.fromValue(rs.getString("health_status")),
                                  pidOrNull,
                                  rs.getInt("restarts"),
                                  rs.getString("last_error"),
                                  rs.getString("requested_by"),
                                  instant(rs, "requested_at"),
                                  instant(rs, "started_at"),
                                  instant(rs, "stopped_at"),
                                  instant(rs, "last_health_check_at"),
                                  rs.getBoolean("definitions_changed"),
                                  read(rs.getString("definition_changes")),
                                  rs.getLong("revision"));
    }

    private static UpstreamKind kind(String value) {
        for (UpstreamKind kind : UpstreamKind.values()) {
            if (kind.value().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown upstream kind: " + value);
    }

    private String write(List<ToolDefinitionChange> changes) {
        try {
            return json.writeValueAsString(changes == null ? List.of() : changes);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ToolDefinitionChange> read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, CHANGES);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
