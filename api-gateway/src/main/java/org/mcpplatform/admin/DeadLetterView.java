package org.mcpplatform.admin;

import java.time.Instant;
import java.util.Map;

/**
 * An event parked in a processing group's dead-letter queue. The event's payload is left out: it is the
 * event store's to show, and it may carry values an operator's screen has no need for.
 */
public record DeadLetterView(String sequenceIdentifier,
                             String eventId,
                             String type,
                             String aggregateId,
                             Instant enqueuedAt,
                             Instant lastTouched,
                             Cause cause,
                             Map<String, ?> diagnostics) {

    /** Why the handler failed: the exception's class and message. */
    public record Cause(String type, String message) {
    }

    /** {"retried": n, "remaining": m}: the dead letters handled successfully, and those still parked. */
    public record RetryResult(long retried, long remaining) {
    }
}
