package org.mcpplatform.deployment;

import java.time.Instant;
import java.util.List;

/**
 * A deployment as clients read it. {@code toolRevision} is the revision of the tool whose config it runs. {@code definitionsChanged} is true while calls to some of the upstream's tools are
 * blocked until an admin approves {@code definitionChanges}.
 */
public record DeploymentView(String id,
                             String toolId,
                             long toolRevision,
                             String slug,
                             String server,
                             UpstreamKind kind,
                             String endpointPath,
                             DeploymentStatus status,
                             HealthStatus healthStatus,
                             Long pid,
                             int restarts,
                             String lastError,
                             String requestedBy,
                             Instant requestedAt,
                             Instant startedAt,
                             Instant stoppedAt,
                             Instant lastHealthCheckAt,
                             boolean definitionsChanged,
                             List<ToolDefinitionChange> definitionChanges,
                             long revision) {
}
