package org.mcpplatform.usage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the usage statistics ({@code mcp.usage.*}).
 *
 * @param queueCapacity records waiting to be written; beyond it new records are dropped (and counted in
 *                      mcp_usage_records_dropped_total) rather than slowing down the gateway
 * @param batchSize     records per INSERT batch: a batch is written when it is full ...
 * @param flushInterval ... or when its oldest record has waited this long
 */
@Validated
@ConfigurationProperties("mcp.usage")
public record UsageProperties(@DefaultValue("100000") @Min(1) int queueCapacity,
                              @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
                              @DefaultValue("200ms") Duration flushInterval) {
}
