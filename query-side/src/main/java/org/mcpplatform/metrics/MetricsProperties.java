package org.mcpplatform.metrics;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Settings of the platform's metrics ({@code mcp.metrics.*}, a section of
 * {@link org.mcpplatform.configuration.QuerySideProperties}).
 *
 * @param gaugeRefresh            how long a gauge that reads a store (the tool and deployment counts, the processors'
 *                                lag) keeps what it read: however often /metrics is scraped, each such gauge costs at
 *                                most one query per interval. 0 reads on every scrape.
 * @param httpPercentileHistogram Micrometer's percentile buckets on the HTTP request timer, besides the API's
 *                                objectives. No code reads it: application.yml hands it to Spring's
 *                                {@code management.metrics.distribution.percentiles-histogram}, and it is here so that
 *                                it is validated with the rest.
 */
public record MetricsProperties(@NotNull @DurationMin(millis = 0) @DurationMax(minutes = 5) Duration gaugeRefresh,
                                boolean httpPercentileHistogram) {
}
