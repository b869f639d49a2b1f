package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One change of a tool. {@code version} is 1 for the registration and grows by one per change (it is what
 * {@link RevertToolConfig#revision()} names); {@code diff} is the RFC 6902 patch from the previous config.
 */
public record ToolHistoryEntry(long version,
                               String toolVersion,
                               ToolChangeType changeType,
                               String changedBy,
                               Instant changedAt,
                               JsonNode config,
                               JsonNode diff) {
}
