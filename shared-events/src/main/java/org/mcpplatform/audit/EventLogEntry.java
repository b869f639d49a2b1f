package org.mcpplatform.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One stored event as the event store holds it.
 *
 * @param eventId        the event's identifier
 * @param position       the event's global position in the store; null for an event stored without one
 * @param aggregateId    the aggregate the event belongs to
 * @param aggregateType  the aggregate's type (McpTool, UserAccount, ...)
 * @param sequenceNumber the event's number within its aggregate, from 0
 * @param type           the payload type's simple name (ToolRegistered)
 * @param payloadType    the payload type's full name as stored
 * @param timestamp      when the event was applied
 * @param payload        the payload's stored JSON, as stored (not upcast)
 * @param metadata       the stored metadata (who acted, in which request), without anything named like a credential
 */
public record EventLogEntry(String eventId, Long position, String aggregateId, String aggregateType,
                            long sequenceNumber, String type, String payloadType, Instant timestamp, String payload,
                            Map<String, Object> metadata) {
}
