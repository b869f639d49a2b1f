package org.mcpplatform.metrics;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the platform's own gauges ({@code mcp.metrics.*}).
 *
 * @param gaugeRefresh how long a gauge that reads a store (the tool and deployment counts, the processors' lag) keeps
 *                     what it read: however often /metrics is scraped, each such gauge costs at most one query per
 *                     interval. 0 reads on every scrape.
 */
@Validated
@ConfigurationProperties("mcp.metrics")
public record MetricsProperties(@NotNull @DurationMin(millis = 0) @DurationMax(minutes = 5) Duration gaugeRefresh) {
}
