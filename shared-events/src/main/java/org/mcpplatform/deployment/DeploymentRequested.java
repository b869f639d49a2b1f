package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

/**
 * A deployment was accepted and is starting. Holds no part of the server's config (env values and headers may be
 * secrets): the supervisor reads the tool's config at {@code toolRevision}.
 * {@code ownerId} is the tool's author, who may stop the deployment as well as admins.
 */
@Revision("1")
public record DeploymentRequested(String deploymentId,
                                  String toolId,
                                  long toolRevision,
                                  String slug,
                                  String server,
                                  UpstreamKind kind,
                                  String endpointPath,
                                  String requestedBy,
                                  String ownerId) implements DeploymentEvent {
}
