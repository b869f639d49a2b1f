package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

import java.util.List;

/** The first successful tools/list of a deployment: these definitions are trusted from now on. */
@Revision("1")
public record ToolDefinitionsPinned(String deploymentId, String toolId, List<ToolFingerprint> tools)
        implements DeploymentEvent {
}
