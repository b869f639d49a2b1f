package org.mcpplatform.tool;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Soft-delete a tool: it disappears from reads, its history stays, and its slug stays reserved. */
public record DeleteTool(@TargetAggregateIdentifier String toolId, Long expectedRevision) {
}
