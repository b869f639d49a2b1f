package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

/** The server is being started again; the deployment is starting until it answers. {@code restarts} counts them all. */
@Revision("1")
public record DeploymentRestarted(String deploymentId, int restarts, String reason) implements DeploymentEvent {
}
