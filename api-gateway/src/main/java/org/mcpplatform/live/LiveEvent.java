package org.mcpplatform.live;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * An event as live subscribers receive it, and as it travels between nodes.
 *
 * @param type      the event's name (ToolUpdated)
 * @param topics    every topic it belongs to, most specific first (tool:{id}, tools)
 * @param eventId   the event's identifier in the event store; subscribers drop repeats by it
 * @param position  the event's position in the event store (the SSE id); null for notices that are not stored
 * @param timestamp when it happened
 * @param payload   the event's content in the API's JSON style
 */
public record LiveEvent(String type, List<String> topics, String eventId, Long position, Instant timestamp,
                        JsonNode payload) {
}
