package org.mcpplatform.usage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Settings of the usage statistics ({@code mcp.usage.*}, a section of
 * {@link org.mcpplatform.configuration.QuerySideProperties}).
 *
 * @param queueCapacity records waiting to be written; beyond it new records are dropped (and counted in
 *                      mcp_usage_records_dropped_total) rather than slowing down the gateway
 * @param batchSize     records per INSERT batch: a batch is written when it is full ...
 * @param flushInterval ... or when its oldest record has waited this long
 */
public record UsageProperties(@Min(1) @Max(10_000_000) int queueCapacity,
                              @Min(1) @Max(10_000) int batchSize,
                              @NotNull @DurationMin(millis = 1) Duration flushInterval) {
}
