package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentStopped(String deploymentId, String toolId, String stoppedBy) implements DeploymentEvent {
}
