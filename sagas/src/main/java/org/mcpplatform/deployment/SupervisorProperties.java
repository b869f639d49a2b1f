package org.mcpplatform.deployment;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the supervisor runs deployed servers and how the deployment saga restarts them. The command side binds the same
 * prefix ({@code DeploymentProperties}: allowed commands, unhealthy-after, claim orphan time); each reads its own keys.
 *
 * @param dataDir          every stdio server runs in its own directory {dataDir}/{deploymentId}
 * @param healthInterval   how often each running server is pinged
 * @param healthTimeout    how long a ping may take before the check counts as failed
 * @param startTimeout     how long a deployment may stay starting (one launch attempt, and the saga's deadline)
 * @param stopGrace        between SIGTERM and SIGKILL when a deployment is stopped or replaced
 * @param shutdownGrace    the same when the platform shuts down (short: nothing may outlive the platform)
 * @param listToolsTimeout how long the tools/list for pinning may take after a start
 * @param restart          the restart policy
 */
@ConfigurationProperties("mcp.deployments")
public record SupervisorProperties(@DefaultValue("./data/deployments") Path dataDir,
                                   @DefaultValue("30s") Duration healthInterval,
                                   @DefaultValue("5s") Duration healthTimeout,
                                   @DefaultValue("60s") Duration startTimeout,
                                   @DefaultValue("10s") Duration stopGrace,
                                   @DefaultValue("2s") Duration shutdownGrace,
                                   @DefaultValue("30s") Duration listToolsTimeout,
                                   @DefaultValue Restart restart) {

    /**
     * Failed servers are restarted after {@code initialBackoff}, doubling up to {@code maxBackoff}; the back-off starts
     * over once a server stayed healthy for {@code healthyReset}. The {@code maxFailures}th failure within
     * {@code failureWindow} fails the deployment instead.
     */
    public record Restart(@DefaultValue("1s") Duration initialBackoff,
                          @DefaultValue("5m") Duration maxBackoff,
                          @DefaultValue("10m") Duration healthyReset,
                          @DefaultValue("5") int maxFailures,
                          @DefaultValue("10m") Duration failureWindow) {
    }
}
