package org.mcpplatform.usage;

import java.time.Instant;
import java.util.List;

/** A tool's usage between {@code from} (inclusive) and {@code to} (exclusive), one entry per bucket, oldest first. */
public record UsageStats(String toolId, StatsBucket bucket, Instant from, Instant to, List<UsageBucket> buckets) {
}
