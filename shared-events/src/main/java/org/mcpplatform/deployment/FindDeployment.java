package org.mcpplatform.deployment;

/** One deployment by id, as {@link DeploymentView}, or null. */
public record FindDeployment(String deploymentId) {
}
