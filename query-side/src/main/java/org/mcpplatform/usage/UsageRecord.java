package org.mcpplatform.usage;

import java.time.Instant;

/**
 * One gateway request to a deployed tool (seed table mcp_usage_stats). {@code toolName} is set for tools/call;
 * {@code status} is "ok", "error" (a JSON-RPC error) or "timeout"; {@code httpStatus} is what the client got.
 */
public record UsageRecord(String toolId,
                          String deploymentId,
                          String method,
                          String toolName,
                          String status,
                          int httpStatus,
                          long responseTimeMicros,
                          String userId,
                          Instant at) {
}
