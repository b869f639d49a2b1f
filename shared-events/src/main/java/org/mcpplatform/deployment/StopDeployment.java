package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stop a deployment for good. Releases the tool and the endpoint. */
public record StopDeployment(@TargetAggregateIdentifier String deploymentId) {
}
