package org.mcpplatform.tool;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Restore the config a tool had at an earlier revision (the {@code version} of its history entries). */
public record RevertToolConfig(@TargetAggregateIdentifier String toolId, long revision, Long expectedRevision) {
}
