package org.mcpplatform.deployment;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.tool.ToolFacts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class DeploymentCommandConfiguration {

    static final String DEPLOYMENT_CLAIMS = "deploymentclaims";

    @Bean
    public DeploymentRules deploymentRules(DeploymentProperties properties) {
        return new DeploymentRules(properties.allowedCommands(), properties.unhealthyAfter());
    }

    @Bean
    public ToolFacts toolFacts(EventStore eventStore) {
        return new ToolFacts(eventStore);
    }

    @Bean
    public DeploymentClaims deploymentClaims(EventStoreConnection connection, EventStore eventStore,
                                             DeploymentProperties properties) {
        return new DeploymentClaims(connection.database().getCollection(DEPLOYMENT_CLAIMS), eventStore,
                                    properties.claimOrphanAfter(), Clock.systemUTC());
    }

    @Bean
    public DeploymentRequests deploymentRequests(@Lazy Repository<Deployment> deploymentRepository,
                                                 ToolFacts toolFacts, DeploymentClaims deploymentClaims,
                                                 DeploymentRules deploymentRules) {
        return new DeploymentRequests(deploymentRepository, toolFacts, deploymentClaims, deploymentRules);
    }
}
