package org.mcpplatform.deployment;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Set;

/**
 * What the command side decides about deployments.
 *
 * @param allowedCommands stdio commands non-admins may deploy (MCP_DEPLOYMENT_ALLOWED_COMMANDS, comma-separated)
 * @param unhealthyAfter  consecutive failed health checks after which a deployment is unhealthy
 * @param claimOrphanAfter how long a tool claim without deployment events blocks new deployments of the tool
 */
@ConfigurationProperties("mcp.deployments")
public record DeploymentProperties(@DefaultValue({"node", "npx", "uvx", "python3", "java", "docker"})
                                   Set<String> allowedCommands,
                                   @DefaultValue("3") int unhealthyAfter,
                                   @DefaultValue("30s") Duration claimOrphanAfter) {
}
