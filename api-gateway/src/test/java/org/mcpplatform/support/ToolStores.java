package org.mcpplatform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.mcpplatform.eventstore.EventStoreConfiguration;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks into the platform's stores directly, past the API: the mcp_tools table of the read model (MySQL/MariaDB)
 * and the events collection of the MongoDB event store (the seed's config history).
 */
public final class ToolStores {

    /** One mcp_tools row as stored; times in UTC. */
    public record ToolRowView(String id, String name, String slug, String description, String version,
                              JsonNode config, String authorId, String status, long revision, Instant createdAt,
                              Instant updatedAt, Instant deletedAt) {
    }

    /** One stored event of a tool: its sequence number and the simple name of its payload type. */
    public record StoredEvent(long sequenceNumber, String type) {
    }

    private final JdbcTemplate sql;
    private final EventStoreConnection eventStore;

    public ToolStores(DataSource dataSource, EventStoreConnection eventStore) {
        this.sql = new JdbcTemplate(dataSource);
        this.eventStore = eventStore;
    }

    public Optional<ToolRowView> row(String toolId) {
        List<ToolRowView> rows = sql.query(
                "SELECT id, name, slug, description, version, config, author_id, status, revision, created_at, "
                        + "updated_at, deleted_at FROM mcp_tools WHERE id = ?",
                (rs, n) -> new ToolRowView(rs.getString("id"), rs.getString("name"), rs.getString("slug"),
                                           rs.getString("description"), rs.getString("version"),
                                           parse(rs.getString("config")), rs.getString("author_id"),
                                           rs.getString("status"), rs.getLong("revision"),
                                           instant(rs.getObject("created_at", java.time.LocalDateTime.class)),
                                           instant(rs.getObject("updated_at", java.time.LocalDateTime.class)),
                                           instant(rs.getObject("deleted_at", java.time.LocalDateTime.class))),
                toolId);
        return rows.stream().findFirst();
    }

    public long rowCount() {
        Long count = sql.queryForObject("SELECT COUNT(*) FROM mcp_tools", Long.class);
        return count == null ? 0 : count;
    }

    public MongoCollection<Document> events() {
        return eventStore.database().getCollection(EventStoreConfiguration.EVENTS);
    }

    public long eventCount() {
        return events().countDocuments();
    }

    /** The tool's events in sequence order, as stored in the event store. */
    public List<StoredEvent> eventsOf(String toolId) {
        List<StoredEvent> stored = new ArrayList<>();
        events().find(Filters.eq("aggregateIdentifier", toolId))
                .sort(Sorts.ascending("sequenceNumber"))
                .forEach(document -> {
                    String payloadType = document.getString("payloadType");
                    stored.add(new StoredEvent(((Number) document.get("sequenceNumber")).longValue(),
                                               payloadType.substring(payloadType.lastIndexOf('.') + 1)));
                });
        return stored;
    }

    private static JsonNode parse(String json) {
        try {
            return Api.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(java.time.LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(java.time.ZoneOffset.UTC);
    }
}
