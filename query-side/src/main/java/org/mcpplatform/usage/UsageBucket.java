package org.mcpplatform.usage;

/**
 * The requests of one time bucket: how many, how many failed (status other than ok), and their response-time
 * percentiles in milliseconds (nearest rank; null when the bucket is empty).
 */
public record UsageBucket(java.time.Instant start, long count, long errors, Double p50Ms, Double p95Ms, Double p99Ms) {
}
