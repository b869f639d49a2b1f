package org.mcpplatform.deployment;

/**
 * Deployments, newest first. {@code requestedBy} limits them to one user's (null: everyone's);
 * {@code activeOnly} to starting and running ones. Answers a {@link DeploymentList}.
 */
public record ListDeployments(String requestedBy, boolean activeOnly) {
}
