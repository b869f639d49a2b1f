package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An admin trusts the upstream's current tool definitions. */
public record ApproveToolDefinitions(@TargetAggregateIdentifier String deploymentId) {
}
