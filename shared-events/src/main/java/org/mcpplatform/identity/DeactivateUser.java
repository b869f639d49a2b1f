package org.mcpplatform.identity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The account can no longer log in or use its API keys; its history and its tools stay. */
public record DeactivateUser(@TargetAggregateIdentifier String userId) {
}
