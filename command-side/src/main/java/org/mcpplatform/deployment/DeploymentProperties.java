package org.mcpplatform.deployment;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Set;

/**
 * What the command side decides about deployments ({@code mcp.deployments.*}, a section of
 * {@link org.mcpplatform.configuration.CommandSideProperties}).
 *
 * @param allowedCommands  stdio commands non-admins may deploy, as bare program names (a path never matches)
 * @param unhealthyAfter   consecutive failed health checks after which a deployment is unhealthy
 * @param claimOrphanAfter how long a tool claim without deployment events blocks new deployments of the tool
 */
public record DeploymentProperties(@NotNull Set<@NotNull @Pattern(regexp = "[A-Za-z0-9._+-]+",
                                           message = "bare program names such as node or python3, no paths")
                                           String> allowedCommands,
                                   @Min(1) @Max(100) int unhealthyAfter,
                                   @NotNull @DurationMin(seconds = 1) Duration claimOrphanAfter) {
}
