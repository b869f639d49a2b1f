package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.mcpplatform.cache.CacheProperties;
import org.mcpplatform.cache.CacheStore;
import org.mcpplatform.metrics.MetricsProperties;
import org.mcpplatform.projection.ProjectionProperties;
import org.mcpplatform.projection.ReadModelConfiguration;
import org.mcpplatform.projection.RebuildableProjection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import java.time.Duration;

import java.util.List;

/** The tool read model: its table, cache, projection, processor and queries. */
@Configuration(proxyBeanMethods = false)
public class ToolReadModelConfiguration {

    /** The JSON of cached tools and of stored configs; independent of the API's naming style. */
    static ObjectMapper readModelJson() {
        return new ObjectMapper().findAndRegisterModules()
                                 .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                 .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    public ToolReadRepository toolReadRepository(JdbcTemplate jdbcTemplate) {
        return new ToolReadRepository(jdbcTemplate, readModelJson());
    }

    @Bean
    public ToolCache toolCache(CacheStore cacheStore, CacheProperties properties, MeterRegistry meters) {
        return new ToolCache(cacheStore, properties, readModelJson(), meters);
    }

    @Bean
    public ToolUpdates toolUpdates() {
        return new ToolUpdates();
    }

    @Bean
    public ToolProjection toolProjection(ToolReadRepository repository, ToolCache cache, ToolUpdates updates) {
        return new ToolProjection(repository, cache, updates, readModelJson());
    }

    /**
     * Rebuilt into a shadow of mcp_tools; once it is swapped in, every tool entry and list page cached from the old
     * table goes.
     */
    @Bean
    public RebuildableProjection rebuildableToolProjection(JdbcTemplate jdbcTemplate, ToolCache cache) {
        return new RebuildableProjection(
                ToolProjection.PROCESSING_GROUP, List.of(ToolReadRepository.TABLE),
                shadowOf -> ToolProjection.intoShadowTable(new ToolReadRepository(
                        jdbcTemplate, readModelJson(), shadowOf.apply(ToolReadRepository.TABLE)), readModelJson()),
                cache::clear);
    }

    @Bean
    public ToolActivityMetrics toolActivityMetrics(MeterRegistry meters) {
        return new ToolActivityMetrics(meters);
    }

    @Bean
    public ToolCountMetrics toolCountMetrics(ToolReadRepository repository, MetricsProperties metrics) {
        return new ToolCountMetrics(repository, metrics.gaugeRefresh());
    }

    @Bean
    public ToolQueries toolQueries(ToolReadRepository repository, ToolCache cache) {
        return new ToolQueries(repository, cache);
    }

    @Bean
    public ToolHistoryQueries toolHistoryQueries(EventStore eventStore) {
        return new ToolHistoryQueries(eventStore, readModelJson());
    }

    @Bean
    public ToolCacheResync toolCacheResync(ToolProjection projection, CacheProperties properties) {
        return new ToolCacheResync(projection, properties.resyncInterval());
    }

    /** The processor every projection into the read-model database runs on, dead-letter queue included. */
    @Autowired
    public void configureToolProcessor(EventProcessingConfigurer processing,
                                       ProjectionProperties properties,
                                       ConnectionProvider readModelConnectionProvider,
                                       Serializer serializer,
                                       @Qualifier("eventSerializer") Serializer eventSerializer) {
        ReadModelConfiguration.registerProjectionProcessor(processing, ToolProjection.PROCESSING_GROUP, properties,
                                                           readModelConnectionProvider, serializer, eventSerializer);
    }

    /** Writes tools whose cache update Redis missed, once it answers again. */
    public static class ToolCacheResync implements SchedulingConfigurer {

        private final ToolProjection projection;
        private final Duration interval;

        ToolCacheResync(ToolProjection projection, Duration interval) {
            this.projection = projection;
            this.interval = interval;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar tasks) {
            tasks.addFixedDelayTask(this::resync, interval);
        }

        public void resync() {
            projection.resyncCache();
        }
    }
}
