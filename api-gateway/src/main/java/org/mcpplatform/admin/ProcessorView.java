package org.mcpplatform.admin;

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
 * @param replaying    whether any segment replays (a reset or rebuild runs)
 * @param deadLetters  the events parked in the processing group's dead-letter queue; null without a queue
 * @param progress     a replay's progress; null when no replay runs
 */
public record ProcessorView(String name,
                            String status,
                            Long position,
                            long head,
                            Long lag,
                            List<SegmentView> segments,
                            boolean replaying,
                            Long deadLetters,
                            ReplayProgress progress) {

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
     * How far a replay has come: {@code done} of {@code total} events, where total is the position the replay runs
     * up to (the head when it started). events_per_second is measured between two reads of this endpoint, so it is
     * null on the first read; eta_seconds is null whenever the rate is.
     */
    public record ReplayProgress(long done, long total, Double eventsPerSecond, Long etaSeconds) {
    }
}
