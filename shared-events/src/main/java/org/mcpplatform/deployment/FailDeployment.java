package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Give up on a deployment: it could not start, or kept failing. Releases the tool and the endpoint. */
public record FailDeployment(@TargetAggregateIdentifier String deploymentId, String error) {
}
