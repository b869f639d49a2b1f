package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The supervisor replaced (or is about to replace) the server: it crashed, hung, or the platform restarted. */
public record RestartDeployment(@TargetAggregateIdentifier String deploymentId, String reason) {
}
