package org.mcpplatform.tool;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns of one mcp_tools row that a batch of events changes. A row the batch registered holds every column and
 * is inserted; any other row holds only the columns its events touched and is updated.
 */
final class ToolRow {

    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String VERSION = "version";
    static final String CONFIG = "config";
    static final String STATUS = "status";
    static final String DELETED_AT = "deleted_at";

    final String id;
    final boolean registered;
    /** column -> new value, in the order first touched; the insert columns of a registered row */
    final Map<String, Object> columns = new LinkedHashMap<>();
    long revision;
    Instant updatedAt;

    private ToolRow(String id, boolean registered) {
        this.id = id;
        this.registered = registered;
    }

    static ToolRow registered(String id) {
        return new ToolRow(id, true);
    }

    static ToolRow changed(String id) {
        return new ToolRow(id, false);
    }

    ToolRow set(String column, Object value) {
        columns.put(column, value);
        return this;
    }

    void advance(long revision, Instant at) {
        this.revision = revision;
        this.updatedAt = at;
    }
}
