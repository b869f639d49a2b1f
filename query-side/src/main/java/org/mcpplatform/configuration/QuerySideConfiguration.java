package org.mcpplatform.configuration;

import org.mcpplatform.cache.CacheProperties;
import org.mcpplatform.metrics.MetricsProperties;
import org.mcpplatform.projection.ProjectionProperties;
import org.mcpplatform.projection.ReadModelProperties;
import org.mcpplatform.usage.UsageProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the query side's settings and hands each feature its section. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QuerySideProperties.class)
public class QuerySideConfiguration {

    @Bean
    public ReadModelProperties readModelProperties(QuerySideProperties settings) {
        return settings.readModel();
    }

    @Bean
    public ProjectionProperties projectionProperties(QuerySideProperties settings) {
        return settings.projection();
    }

    @Bean
    public CacheProperties cacheProperties(QuerySideProperties settings) {
        return settings.cache();
    }

    @Bean
    public UsageProperties usageProperties(QuerySideProperties settings) {
        return settings.usage();
    }

    @Bean
    public MetricsProperties metricsProperties(QuerySideProperties settings) {
        return settings.metrics();
    }
}
