package org.mcpplatform.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The supervisor started the server and finished the MCP handshake with it. {@code pid} is null for remote servers. */
public record MarkDeploymentRunning(@TargetAggregateIdentifier String deploymentId,
                                    Long pid,
                                    String serverName,
                                    String serverVersion,
                                    String protocolVersion) {
}
