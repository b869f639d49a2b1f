package org.mcpplatform.identity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ChangeRole(@TargetAggregateIdentifier String userId, Role role) {
}
