package org.mcpplatform.deployment;

/** Every event of a deployment's stream. */
public interface DeploymentEvent {

    String deploymentId();
}
