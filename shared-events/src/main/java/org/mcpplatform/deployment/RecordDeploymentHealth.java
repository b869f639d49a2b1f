package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The outcome of one health check (an MCP ping, or the process found dead). {@code error} is null when healthy. */
public record RecordDeploymentHealth(@TargetAggregateIdentifier String deploymentId,
                                     boolean healthy,
                                     Long latencyMillis,
                                     String error) {
}
