package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Deploy a tool: run (stdio) or reach (remote) one of the servers of its config and serve it at /mcp/{slug}.
 * {@code server} names the entry of the config's mcpServers; it may be null when the config has exactly one.
 */
public record RequestDeployment(@TargetAggregateIdentifier String deploymentId, String toolId, String server) {
}
