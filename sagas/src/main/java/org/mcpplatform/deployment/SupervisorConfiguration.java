package org.mcpplatform.deployment;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import java.time.Instant;

/** The supervisor of deployed servers, the recovery after a restart, and the deployment saga's processor. */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class SupervisorConfiguration {

    /**
     * Whether this node runs deployed servers (default true). With several API nodes, servers run on the nodes where
     * it is true: there the deployment saga's processor, the recovery after a restart and the deadline scheduler run,
     * and there MCP traffic must be routed (see deploy/nginx/nginx.conf); the other nodes serve the rest of the API.
     */
    public static final String RUN_SERVERS = "mcp.deployments.run-servers";

    @Bean
    public SystemCommands systemCommands(CommandGateway commandGateway) {
        return new SystemCommands(commandGateway);
    }

    /** Outbound addresses other than public ones only as listed in mcp.deployments.allowed-outbound. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(UpstreamLauncher.class)
    public DefaultUpstreamLauncher upstreamLauncher(
            @Value("${" + OutboundAddresses.ALLOWED_PROPERTY + ":}") String allowedOutbound) {
        return new DefaultUpstreamLauncher(OutboundAddresses.fromProperty(allowedOutbound));
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
    public void configureSagaProcessor(EventProcessingConfigurer processing,
                                       @Value("${" + RUN_SERVERS + ":true}") boolean runServers) {
        Instant startUp = Instant.now();
        processing.registerTrackingEventProcessor(
                DeploymentSaga.PROCESSOR,
                Configuration::eventStore,
                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                        .andInitialTrackingToken(source -> source.createTokenAt(startUp))
                                                        .andAutoStart(runServers));
    }
}
