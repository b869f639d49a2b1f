package org.mcpplatform.configuration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.mcpplatform.cache.CacheProperties;
import org.mcpplatform.metrics.MetricsProperties;
import org.mcpplatform.projection.ProjectionProperties;
import org.mcpplatform.projection.ReadModelProperties;
import org.mcpplatform.usage.UsageProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the query side, one section per feature, bound from {@code mcp.*} and validated as a whole when
 * the platform starts. application.yml maps each setting to an environment variable and holds its default; README.md
 * lists them. A section's record lives beside the code it configures, which receives the section as a bean
 * ({@link QuerySideConfiguration}). A new setting is a component of its section, a line in application.yml and a row
 * in README.md.
 *
 * @param readModel  {@code mcp.read-model.*}: the read-model database
 * @param projection {@code mcp.projection.*}: how projections process events
 * @param cache      {@code mcp.cache.*}: Redis and the read-model cache
 * @param usage      {@code mcp.usage.*}: the usage statistics of deployed tools
 * @param metrics    {@code mcp.metrics.*}: the gauges that read a store, and the HTTP latency histogram
 */
@Validated
@ConfigurationProperties("mcp")
public record QuerySideProperties(@Valid @NotNull ReadModelProperties readModel,
                                  @Valid @NotNull ProjectionProperties projection,
                                  @Valid @NotNull CacheProperties cache,
                                  @Valid @NotNull UsageProperties usage,
                                  @Valid @NotNull MetricsProperties metrics) {
}
