package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** What a successful tools/list of the upstream answered, fingerprinted. */
public record RecordToolDefinitions(@TargetAggregateIdentifier String deploymentId, List<ToolFingerprint> tools) {
}
