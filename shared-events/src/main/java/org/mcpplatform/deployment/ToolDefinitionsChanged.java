package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * The upstream now lists tools that differ from the pinned ones (a "rug pull" until proven otherwise). Calls to the
 * changed and added tools are blocked until an admin approves. {@code tools} is the full new listing.
 */
@Revision("1")
public record ToolDefinitionsChanged(String deploymentId,
                                     String toolId,
                                     List<ToolDefinitionChange> changes,
                                     List<ToolFingerprint> tools) implements DeploymentEvent {
}
