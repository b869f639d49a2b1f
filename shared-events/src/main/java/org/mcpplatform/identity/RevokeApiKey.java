package org.mcpplatform.identity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RevokeApiKey(@TargetAggregateIdentifier String userId, String keyId) {
}
