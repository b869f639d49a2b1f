package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

import java.util.List;

/** The listed definitions are pinned again; nothing is blocked. */
@Revision("1")
public record ToolDefinitionsApproved(String deploymentId, String toolId, List<ToolFingerprint> tools,
                                      String approvedBy) implements DeploymentEvent {
}
