package org.mcpplatform.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A page of the event log as the API returns it (snake_case on the wire; payloads as stored). */
public record EventLogResponse(List<Event> events, int page, int pageSize, boolean hasMore) {

    static EventLogResponse of(EventPage page) {
        return new EventLogResponse(page.events().stream().map(Event::of).toList(), page.page(), page.pageSize(),
                                    page.hasMore());
    }

    /**
     * One event. {@code payload} is the stored JSON as is (its field names are the event's, camelCase);
     * {@code metadata} names are snake_case like the rest of the API (userId becomes user_id).
     */
    public record Event(String eventId, Long position, String aggregateId, String aggregateType, long sequenceNumber,
                        String type, String payloadType, Instant timestamp, @JsonRawValue String payload,
                        Map<String, Object> metadata) {

        static Event of(EventLogEntry entry) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            entry.metadata().forEach((name, value) -> metadata.put(snakeCase(name), value));
            return new Event(entry.eventId(), entry.position(), entry.aggregateId(), entry.aggregateType(),
                             entry.sequenceNumber(), entry.type(), entry.payloadType(), entry.timestamp(),
                             entry.payload(), metadata);
        }
    }

    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
