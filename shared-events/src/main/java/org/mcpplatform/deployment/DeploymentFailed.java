package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentFailed(String deploymentId, String toolId, String error) implements DeploymentEvent {
}
