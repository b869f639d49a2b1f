package org.mcpplatform.tool;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.eventstore.EventStoreProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class ToolCommandConfiguration {

    static final String SLUG_CLAIMS = "toolslugclaims";

    @Bean
    public ToolConfigSchema toolConfigSchema() {
        return new ToolConfigSchema();
    }

    @Bean
    public ToolRules toolRules(ToolConfigSchema schema) {
        return new ToolRules(schema);
    }

    @Bean
    public ToolConfigHistory toolConfigHistory(EventStore eventStore) {
        return new ToolConfigHistory(eventStore);
    }

    @Bean
    public SlugClaims slugClaims(EventStoreConnection connection, EventStore eventStore,
                                 EventStoreProperties properties) {
        return new SlugClaims(connection.database().getCollection(SLUG_CLAIMS), eventStore,
                              properties.slugClaimOrphanAfter(), Clock.systemUTC());
    }

    @Bean
    public ToolRegistration toolRegistration(@Lazy Repository<McpTool> mcpToolRepository, SlugClaims slugClaims,
                                             ToolRules rules) {
        return new ToolRegistration(mcpToolRepository, slugClaims, rules);
    }

    /**
     * A snapshot every N events keeps loading a long-lived tool cheap after a restart or a cache eviction; most
     * tools never reach it.
     */
    @Bean
    public SnapshotTriggerDefinition toolSnapshotTrigger(Snapshotter snapshotter, EventStoreProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }

    /**
     * Tools stay in memory between commands so that a command does not read its aggregate's events first. Safe with
     * several nodes: a command on a stale cached tool fails to append (its sequence number is taken), the cache entry
     * is evicted on rollback and the gateway retries against the reloaded tool.
     */
    @Bean(destroyMethod = "close")
    public CacheManager aggregateCacheManager() {
        return CacheManagerBuilder.newCacheManagerBuilder().build(true);
    }

    @Bean
    public Cache toolAggregateCache(CacheManager aggregateCacheManager, EventStoreProperties properties) {
        org.ehcache.Cache<Object, Object> cache = aggregateCacheManager.createCache(
                "mcp-tools",
                CacheConfigurationBuilder.newCacheConfigurationBuilder(
                        Object.class, Object.class,
                        ResourcePoolsBuilder.heap(Math.max(1, properties.aggregateCacheSize()))));
        return new EhCache3Adapter((Ehcache<?, ?>) cache);
    }
}
