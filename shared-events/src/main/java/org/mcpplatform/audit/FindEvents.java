package org.mcpplatform.audit;

import java.time.Instant;

/**
 * A page of the raw event log, the audit trail: every stored event, oldest first, optionally only those of one
 * aggregate, of one payload type, or stamped within [from, to). Answered from the event store itself.
 *
 * @param aggregateId only events of this aggregate; null for all
 * @param type        only events of this payload type, its simple name (ToolRegistered) or full class name; null for
 *                    all
 * @param from        only events stamped at or after this instant; null for no lower bound
 * @param to          only events stamped before this instant; null for no upper bound
 * @param page        1-based page number
 * @param pageSize    events per page
 */
public record FindEvents(String aggregateId, String type, Instant from, Instant to, int page, int pageSize) {
}
