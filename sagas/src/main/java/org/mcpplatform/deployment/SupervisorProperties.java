package org.mcpplatform.deployment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the supervisor runs deployed servers and how the deployment saga restarts them ({@code mcp.deployments.*}, a
 * section of {@link org.mcpplatform.configuration.SagaProperties}). The command side binds other keys of the same
 * prefix ({@code DeploymentProperties}: allowed commands, unhealthy-after, claim orphan time).
 *
 * @param runServers       whether this node runs deployed servers. With several API nodes, servers run on the nodes
 *                         where it is true: there the deployment saga's processor, the recovery after a restart and
 *                         the deadline scheduler run, and there MCP traffic must be routed (see
 *                         deploy/nginx/nginx.conf); the other nodes serve the rest of the API
 * @param allowedOutbound  CIDR ranges, addresses and host names remote servers may have besides public addresses
 *                         ({@link OutboundAddresses})
 * @param dataDir          every stdio server runs in its own directory {dataDir}/{deploymentId}
 * @param healthInterval   how often each running server is pinged
 * @param healthTimeout    how long a ping may take before the check counts as failed
 * @param startTimeout     how long a deployment may stay starting (one launch attempt, and the saga's deadline)
 * @param stopGrace        between SIGTERM and SIGKILL when a deployment is stopped or replaced
 * @param shutdownGrace    the same when the platform shuts down (short: nothing may outlive the platform)
 * @param listToolsTimeout how long the tools/list for pinning may take after a start
 * @param restart          the restart policy
 */
public record SupervisorProperties(boolean runServers,
                                   @NotNull List<@NotNull @Pattern(
                                           regexp = "[0-9A-Fa-f.:]+(/[0-9]{1,3})?|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?",
                                           message = "CIDR ranges such as 10.0.0.0/8, addresses or host names")
                                           String> allowedOutbound,
                                   @NotNull Path dataDir,
                                   @NotNull @DurationMin(millis = 100) Duration healthInterval,
                                   @NotNull @DurationMin(millis = 10) Duration healthTimeout,
                                   @NotNull @DurationMin(millis = 100) Duration startTimeout,
                                   @NotNull @DurationMin(millis = 0) @DurationMax(minutes = 10) Duration stopGrace,
                                   @NotNull @DurationMin(millis = 0) @DurationMax(minutes = 1) Duration shutdownGrace,
                                   @NotNull @DurationMin(millis = 100) Duration listToolsTimeout,
                                   @Valid @NotNull Restart restart) {

    /**
     * Failed servers are restarted after {@code initialBackoff}, doubling up to {@code maxBackoff}; the back-off starts
     * over once a server stayed healthy for {@code healthyReset}. The {@code maxFailures}th failure within
     * {@code failureWindow} fails the deployment instead.
     */
    public record Restart(@NotNull @DurationMin(millis = 10) Duration initialBackoff,
                          @NotNull @DurationMin(millis = 10) Duration maxBackoff,
                          @NotNull @DurationMin(seconds = 1) Duration healthyReset,
                          @Min(1) @Max(1000) int maxFailures,
                          @NotNull @DurationMin(seconds = 1) Duration failureWindow) {
    }
}
