package org.mcpplatform.usage;

/**
 * Takes usage records off the request path: {@link #record} only queues, and the records are written to
 * mcp_usage_stats in batches. Usage records are telemetry, not domain events: one per MCP request would swamp the
 * event store, and none of them changes the state of anything.
 */
public interface UsageRecorder {

    void record(UsageRecord record);
}
