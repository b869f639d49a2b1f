package org.mcpplatform.tool;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Move a tool along its lifecycle; asking for the status it already has changes nothing. */
public record ChangeToolStatus(@TargetAggregateIdentifier String toolId, ToolStatus status, Long expectedRevision) {
}
