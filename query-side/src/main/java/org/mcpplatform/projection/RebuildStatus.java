package org.mcpplatform.projection;

import java.time.Duration;
import java.time.Instant;

/**
 * The last rebuild of one projection, as every node sees it (a row of projection_rebuilds).
 *
 * @param processor       the projection's processor (its processing group)
 * @param rebuildId       identifies this rebuild among the projection's rebuilds
 * @param phase           where it is
 * @param requestedBy     the user who asked for it
 * @param startedAt       when it was asked for
 * @param updatedAt       when a node last recorded anything of it
 * @param finishedAt      when it ended (done or failed); null while it runs
 * @param done            the global position of the last event the rebuild has handled
 * @param total           the event store's head position when last measured: what the rebuild catches up with
 * @param eventsPerSecond the rebuild's pace over the last measurement; while it runs, null until measured; once
 *                        done, the average over the whole rebuild
 * @param swapNode        the node swapping the tables in (phase swapping and later)
 * @param error           why it failed
 */
public record RebuildStatus(String processor,
                            String rebuildId,
                            RebuildPhase phase,
                            String requestedBy,
                            Instant startedAt,
                            Instant updatedAt,
                            Instant finishedAt,
                            long done,
                            long total,
                            Double eventsPerSecond,
                            String swapNode,
                            String error) {

    public boolean active() {
        return phase.active();
    }

    /** Seconds left at the current pace; null while the pace is unknown or nothing moves. */
    public Long etaSeconds() {
        if (!active() || eventsPerSecond == null || eventsPerSecond <= 0) {
            return null;
        }
        return (long) Math.ceil(Math.max(0, total - done) / eventsPerSecond);
    }

    /** How long it ran, or has run so far. */
    public Duration duration(Instant now) {
        return Duration.between(startedAt, finishedAt == null ? now : finishedAt);
    }
}
