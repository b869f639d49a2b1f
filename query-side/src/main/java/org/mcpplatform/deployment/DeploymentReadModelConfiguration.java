package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.serialization.Serializer;
import org.mcpplatform.metrics.MetricsProperties;
import org.mcpplatform.projection.ProjectionProperties;
import org.mcpplatform.projection.ReadModelConfiguration;
import org.mcpplatform.projection.RebuildableProjection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/** The deployment read model: its table, projection, processor and queries. */
@Configuration(proxyBeanMethods = false)
public class DeploymentReadModelConfiguration {

    /** The JSON of stored definition changes; independent of the API's naming style. */
    static ObjectMapper readModelJson() {
        return new ObjectMapper().findAndRegisterModules()
                                 .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                 .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    public DeploymentReadRepository deploymentReadRepository(JdbcTemplate jdbcTemplate) {
        return new DeploymentReadRepository(jdbcTemplate, readModelJson());
    }

    @Bean
    public DeploymentProjection deploymentProjection(DeploymentReadRepository repository) {
        return new DeploymentProjection(repository);
    }

    /** Rebuilt into a shadow of mcp_deployments; nothing caches deployments. */
    @Bean
    public RebuildableProjection rebuildableDeploymentProjection(JdbcTemplate jdbcTemplate) {
        return new RebuildableProjection(
                DeploymentProjection.PROCESSING_GROUP, List.of(DeploymentReadRepository.TABLE),
                shadowOf -> new DeploymentProjection(new DeploymentReadRepository(
                        jdbcTemplate, readModelJson(), shadowOf.apply(DeploymentReadRepository.TABLE))),
                () -> {
                });
    }

    @Bean
    public DeploymentQueries deploymentQueries(DeploymentReadRepository repository) {
        return new DeploymentQueries(repository);
    }

    @Bean
    public ActiveDeploymentMetrics activeDeploymentMetrics(DeploymentReadRepository repository,
                                                           MetricsProperties metrics) {
        return new ActiveDeploymentMetrics(repository, metrics.gaugeRefresh());
    }

    /** A processor of its own, so that deployments can be rebuilt without the tools and the users. */
    @Autowired
    public void configureDeploymentProcessor(EventProcessingConfigurer processing,
                                             ProjectionProperties properties,
                                             ConnectionProvider readModelConnectionProvider,
                                             Serializer serializer,
                                             @Qualifier("eventSerializer") Serializer eventSerializer) {
        ReadModelConfiguration.registerProjectionProcessor(processing, DeploymentProjection.PROCESSING_GROUP,
                                                           properties, readModelConnectionProvider, serializer,
                                                           eventSerializer);
    }
}
