package org.mcpplatform.admin;

import java.time.Instant;
import java.util.List;

/**
 * One event processor as GET /api/v1/admin/processors shows it (snake_case on the wire).
 *
 * @param name         the processor's name (for the projections also their processing group)
 * @param status       running, stopped, or error (a segment of this node is in error state: the processor retries)
 * @param position     the lowest global position its segments have handled (0: none yet); null for a processor
 *                     that does not track a position (a subscribing one)
 * @param head         the event store's head position
 * @param lag          head - position, never negative; null when position is unknown
 * @param segments     the processor's segments; claimed says whether this node holds it
 * @param replaying    whether a replay (a reset of its tokens) or a rebuild (POST .../rebuild) runs
 * @param deadLetters  the events parked in the processing group's dead-letter queue; null without a queue
 * @param progress     a replay's or rebuild's progress; null when neither runs
 * @param rebuild      the processor's last rebuild, running or ended, as every node sees it; null if it was never
 *                     rebuilt
 */
public record ProcessorView(String name,
                            String status,
                            Long position,
                            long head,
                            Long lag,
                            List<SegmentView> segments,
                            boolean replaying,
                            Long deadLetters,
                            ReplayProgress progress,
                            Rebuild rebuild) {

    /**
     * A segment of a streaming processor. The fields after {@code claimed} are known only for a segment this node
     * claims (null otherwise): another node's progress is in the token store, not in this node's memory.
     */
    public record SegmentView(int segmentId,
                              int mask,
                              boolean claimed,
                              Boolean caughtUp,
                              Boolean replaying,
                              Long position,
                              String error) {
    }

    /**
     * How far a replay or rebuild has come: {@code done} of {@code total} events. A replay runs up to the position the
     * processor had reached when it was reset, and its events_per_second is measured between two reads of this
     * endpoint (null on the first read). A rebuild runs up to the event store's head, and the node running it measures
     * its pace about once a second. eta_seconds is null whenever the rate is unknown or 0.
     */
    public record ReplayProgress(long done, long total, Double eventsPerSecond, Long etaSeconds) {
    }

    /**
     * A rebuild beside the live read model.
     *
     * @param id          identifies it
     * @param phase       preparing, rebuilding (the shadow tables are filled from the first event), swapping (the
     *                    live processor pauses while the rebuilt tables are swapped in), done or failed
     * @param requestedBy the administrator's user id
     * @param startedAt   when it was requested
     * @param finishedAt  when it ended; null while it runs
     * @param error       why it failed
     */
    public record Rebuild(String id, String phase, String requestedBy, Instant startedAt, Instant finishedAt,
                          String error) {
    }
}
