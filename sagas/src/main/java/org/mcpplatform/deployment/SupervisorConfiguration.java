package org.mcpplatform.deployment;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import java.time.Instant;

/** The supervisor of deployed servers, the recovery after a restart, and the deployment saga's processor. */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class SupervisorConfiguration {

    /** {@link SupervisorProperties#runServers()}, for the condition on the recovery after a restart. */
    public static final String RUN_SERVERS = "mcp.deployments.run-servers";

    @Bean
    public SystemCommands systemCommands(CommandGateway commandGateway) {
        return new SystemCommands(commandGateway);
    }

    /** Outbound addresses other than public ones only as listed in mcp.deployments.allowed-outbound. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(UpstreamLauncher.class)
    public DefaultUpstreamLauncher upstreamLauncher(SupervisorProperties properties) {
        return new DefaultUpstreamLauncher(OutboundAddresses.allowing(properties.allowedOutbound()));
    }

    @Bean
    public McpServerSupervisor mcpServerSupervisor(UpstreamLauncher upstreamLauncher, SystemCommands systemCommands,
                                                   QueryGateway queryGateway, SupervisorProperties properties) {
        return new McpServerSupervisor(upstreamLauncher, systemCommands, queryGateway, properties);
    }

    @Bean
    @ConditionalOnProperty(name = RUN_SERVERS, havingValue = "true", matchIfMissing = true)
    public DeploymentRecovery deploymentRecovery(QueryGateway queryGateway, McpServerSupervisor mcpServerSupervisor) {
        return new DeploymentRecovery(queryGateway, mcpServerSupervisor);
    }

    /**
     * One thread in order per deployment. A processor without a token yet (first run, or a new read-model database)
     * starts at the events of this start-up, not at the first event: replaying history would start every deployment
     * ever made (the ones still active are started again by {@link DeploymentRecovery}). Not at the head either: the
     * head is read when the token is first stored, which can be after this node's API accepted its first deployment
     * (found when the token's creation was retried after a database deadlock, and the saga never saw the request).
     */
    @Autowired
    public void configureSagaProcessor(EventProcessingConfigurer processing, SupervisorProperties properties) {
        Instant startUp = Instant.now();
        processing.registerTrackingEventProcessor(
                DeploymentSaga.PROCESSOR,
                Configuration::eventStore,
                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                        .andInitialTrackingToken(source -> source.createTokenAt(startUp))
                                                        .andAutoStart(properties.runServers()));
    }
}
