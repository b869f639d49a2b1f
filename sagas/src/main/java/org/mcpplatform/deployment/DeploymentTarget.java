package org.mcpplatform.deployment;

/**
 * Which server of which tool a deployment runs: enough to read its config again at every (re)start. Holds no part of
 * the config itself (env values and headers may be secrets), so it may be kept in the saga's state.
 */
public record DeploymentTarget(String deploymentId, String toolId, long toolRevision, String slug, String server,
                               UpstreamKind kind) {

    static DeploymentTarget of(DeploymentRequested requested) {
        return new DeploymentTarget(requested.deploymentId(), requested.toolId(), requested.toolRevision(),
                                    requested.slug(), requested.server(), requested.kind());
    }

    static DeploymentTarget of(DeploymentView view) {
        return new DeploymentTarget(view.id(), view.toolId(), view.toolRevision(), view.slug(), view.server(),
                                    view.kind());
    }
}
