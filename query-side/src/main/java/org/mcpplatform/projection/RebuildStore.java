package org.mcpplatform.projection;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The projection_rebuilds table: the state of each projection's last rebuild, shared by every node. Every change of
 * phase is a conditional update (on the rebuild's id and its current phase), so that of two nodes acting on the same
 * rebuild exactly one moves it on.
 */
class RebuildStore {

    private static final String COLUMNS = "processor_name, rebuild_id, phase, requested_by, started_at, updated_at, "
            + "finished_at, done, total, events_per_second, swap_node, error";
    private static final int MAX_ERROR_CHARS = 1000;

    private final JdbcTemplate jdbc;

    RebuildStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<RebuildStatus> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM projection_rebuilds ORDER BY processor_name", RebuildStore::row);
    }

    Optional<RebuildStatus> find(String processor) {
        return jdbc.query("SELECT " + COLUMNS + " FROM projection_rebuilds WHERE processor_name = ?",
                          RebuildStore::row, processor).stream().findFirst();
    }

    /**
     * Records a new rebuild in phase preparing, unless one is running: true if this call started it. A rebuild left
     * in phase preparing since {@code abandonedBefore} (its node died while creating the shadow tables) counts as not
     * running.
     */
    boolean begin(String processor, String rebuildId, String requestedBy, long head, Instant now,
                  Instant abandonedBefore) {
        try {
            jdbc.update("INSERT INTO projection_rebuilds (processor_name, rebuild_id, phase, requested_by, started_at,"
                                + " updated_at, done, total) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                        processor, rebuildId, RebuildPhase.PREPARING.value(), requestedBy, utc(now), utc(now), head);
            return true;
        } catch (DuplicateKeyException earlierRebuild) {
            return jdbc.update("UPDATE projection_rebuilds SET rebuild_id = ?, phase = ?, requested_by = ?,"
                                       + " started_at = ?, updated_at = ?, finished_at = NULL, done = 0, total = ?,"
                                       + " events_per_second = NULL, swap_node = NULL, error = NULL"
                                       + " WHERE processor_name = ?"
                                       + " AND (phase IN (?, ?) OR (phase = ? AND updated_at < ?))",
                               rebuildId, RebuildPhase.PREPARING.value(), requestedBy, utc(now), utc(now), head,
                               processor, RebuildPhase.DONE.value(), RebuildPhase.FAILED.value(),
                               RebuildPhase.PREPARING.value(), utc(abandonedBefore)) == 1;
        }
    }

    /** Moves the rebuild from one phase to the next; false if it is no longer in {@code from}. */
    boolean advance(String rebuildId, RebuildPhase from, RebuildPhase to, Instant now) {
        return jdbc.update("UPDATE projection_rebuilds SET phase = ?, updated_at = ?, swap_node = NULL"
                                   + " WHERE rebuild_id = ? AND phase = ?",
                           to.value(), utc(now), rebuildId, from.value()) == 1;
    }

    /** The progress measured by the node that runs the rebuild. */
    void progress(String rebuildId, long done, long total, Double eventsPerSecond, Instant now) {
        jdbc.update("UPDATE projection_rebuilds SET done = ?, total = ?, events_per_second = ?, updated_at = ?"
                            + " WHERE rebuild_id = ? AND phase = ?",
                    done, total, eventsPerSecond, utc(now), rebuildId, RebuildPhase.REBUILDING.value());
    }

    /** This node swaps the tables in; false if another node got there first or the rebuild moved on. */
    boolean beginSwap(String rebuildId, String node, Instant now) {
        return jdbc.update("UPDATE projection_rebuilds SET phase = ?, swap_node = ?, updated_at = ?"
                                   + " WHERE rebuild_id = ? AND phase = ?",
                           RebuildPhase.SWAPPING.value(), node, utc(now), rebuildId,
                           RebuildPhase.REBUILDING.value()) == 1;
    }

    /** Takes over the swap of a node that stopped reporting; false if someone else did, or that node is back. */
    boolean takeOverSwap(RebuildStatus seen, String node, Instant now) {
        return jdbc.update("UPDATE projection_rebuilds SET swap_node = ?, updated_at = ?"
                                   + " WHERE rebuild_id = ? AND phase = ? AND updated_at = ?",
                           node, utc(now), seen.rebuildId(), RebuildPhase.SWAPPING.value(),
                           utc(seen.updatedAt())) == 1;
    }

    /** The swapping node is alive. */
    void heartbeat(String rebuildId, Instant now) {
        jdbc.update("UPDATE projection_rebuilds SET updated_at = ? WHERE rebuild_id = ?", utc(now), rebuildId);
    }

    boolean done(String rebuildId, long done, long total, Double averagePerSecond, Instant now) {
        return jdbc.update("UPDATE projection_rebuilds SET phase = ?, finished_at = ?, updated_at = ?, done = ?,"
                                   + " total = ?, events_per_second = ? WHERE rebuild_id = ? AND phase = ?",
                           RebuildPhase.DONE.value(), utc(now), utc(now), done, total, averagePerSecond, rebuildId,
                           RebuildPhase.SWAPPING.value()) == 1;
    }

    /** Gives the rebuild up, whatever active phase it is in; false if it had ended already. */
    boolean failed(String rebuildId, String error, Instant now) {
        String text = error == null ? "unknown" : error.length() > MAX_ERROR_CHARS
                ? error.substring(0, MAX_ERROR_CHARS) : error;
        return jdbc.update("UPDATE projection_rebuilds SET phase = ?, finished_at = ?, updated_at = ?, error = ?"
                                   + " WHERE rebuild_id = ? AND phase IN (?, ?, ?)",
                           RebuildPhase.FAILED.value(), utc(now), utc(now), text, rebuildId,
                           RebuildPhase.PREPARING.value(), RebuildPhase.REBUILDING.value(),
                           RebuildPhase.SWAPPING.value()) == 1;
    }

    private static RebuildStatus row(ResultSet rs, int rowNum) throws SQLException {
        double measured = rs.getDouble("events_per_second");
        Double perSecond = rs.wasNull() ? null : measured;
        return new RebuildStatus(rs.getString("processor_name"),
                                 rs.getString("rebuild_id"),
                                 RebuildPhase.fromValue(rs.getString("phase")),
                                 rs.getString("requested_by"),
                                 instant(rs, "started_at"),
                                 instant(rs, "updated_at"),
                                 instant(rs, "finished_at"),
                                 rs.getLong("done"),
                                 rs.getLong("total"),
                                 perSecond,
                                 rs.getString("swap_node"),
                                 rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** Cut to what DATETIME(6) keeps, so that a value read back compares equal to the one written. */
    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
