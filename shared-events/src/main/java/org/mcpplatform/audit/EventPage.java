package org.mcpplatform.audit;

import java.util.List;

/** One page of the event log; {@code hasMore} tells whether a next page holds events. */
public record EventPage(List<EventLogEntry> events, int page, int pageSize, boolean hasMore) {
}
