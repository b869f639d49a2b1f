package org.mcpplatform.identity;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.serialization.Serializer;
import org.mcpplatform.projection.ProjectionProperties;
import org.mcpplatform.projection.ReadModelConfiguration;
import org.mcpplatform.projection.RebuildableProjection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/** The identity read model: its tables, projection, processor and queries. */
@Configuration(proxyBeanMethods = false)
public class UserReadModelConfiguration {

    @Bean
    public UserReadRepository userReadRepository(JdbcTemplate jdbcTemplate) {
        return new UserReadRepository(jdbcTemplate);
    }

    @Bean
    public UserProjection userProjection(UserReadRepository repository) {
        return new UserProjection(repository);
    }

    /**
     * Rebuilt into shadows of users and api_keys, swapped in together. Nothing caches these tables (authentication
     * reads the command side's credential store).
     */
    @Bean
    public RebuildableProjection rebuildableUserProjection(JdbcTemplate jdbcTemplate) {
        return new RebuildableProjection(
                UserProjection.PROCESSING_GROUP, List.of(UserReadRepository.USERS, UserReadRepository.API_KEYS),
                shadowOf -> new UserProjection(new UserReadRepository(
                        jdbcTemplate, shadowOf.apply(UserReadRepository.USERS),
                        shadowOf.apply(UserReadRepository.API_KEYS))),
                () -> {
                });
    }

    @Bean
    public UserQueries userQueries(UserReadRepository repository) {
        return new UserQueries(repository);
    }

    /** A processor of its own, so that the users can be rebuilt without the tools and the other way round. */
    @Autowired
    public void configureUserProcessor(EventProcessingConfigurer processing,
                                       ProjectionProperties properties,
                                       ConnectionProvider readModelConnectionProvider,
                                       Serializer serializer,
                                       @Qualifier("eventSerializer") Serializer eventSerializer) {
        ReadModelConfiguration.registerProjectionProcessor(processing, UserProjection.PROCESSING_GROUP, properties,
                                                           readModelConnectionProvider, serializer, eventSerializer);
    }
}
