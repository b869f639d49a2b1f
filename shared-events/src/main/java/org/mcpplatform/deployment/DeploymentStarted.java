package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentStarted(String deploymentId,
                                Long pid,
                                String serverName,
                                String serverVersion,
                                String protocolVersion) implements DeploymentEvent {
}
