package org.mcpplatform.configuration;

import org.mcpplatform.deployment.DeploymentProperties;
import org.mcpplatform.eventstore.EventStoreProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the command side's settings and hands each feature its section. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandSideProperties.class)
public class CommandSideConfiguration {

    @Bean
    public EventStoreProperties eventStoreProperties(CommandSideProperties settings) {
        return settings.eventStore();
    }

    @Bean
    public DeploymentProperties deploymentProperties(CommandSideProperties settings) {
        return settings.deployments();
    }
}
