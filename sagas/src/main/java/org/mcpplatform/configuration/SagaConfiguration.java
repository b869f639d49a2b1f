package org.mcpplatform.configuration;

import org.mcpplatform.deadline.DeadlineProperties;
import org.mcpplatform.deployment.SupervisorProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the sagas module's settings and hands each feature its section. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaProperties.class)
public class SagaConfiguration {

    @Bean
    public SupervisorProperties supervisorProperties(SagaProperties settings) {
        return settings.deployments();
    }

    @Bean
    public DeadlineProperties deadlineProperties(SagaProperties settings) {
        return settings.deadlines();
    }
}
