package org.mcpplatform.deployment;

import java.time.Instant;
import java.util.List;

/**
 * A deployment as the API returns it (snake_case on the wire). {@code endpointUrl} is where MCP clients connect:
 * the platform's base URL and the deployment's /mcp/{slug}.
 */
public record DeploymentResponse(String id,
                                 String toolId,
                                 long toolRevision,
                                 String slug,
                                 String server,
                                 UpstreamKind kind,
                                 String endpointUrl,
                                 DeploymentStatus status,
                                 HealthStatus healthStatus,
                                 Long pid,
                                 int restarts,
                                 String lastError,
                                 Instant startedAt,
                                 Instant stoppedAt,
                                 Instant lastHealthCheckAt,
                                 String requestedBy,
                                 Instant requestedAt,
                                 boolean definitionsChanged,
                                 List<ToolDefinitionChange> definitionChanges) {

    static DeploymentResponse of(DeploymentView view, String baseUrl) {
        return new DeploymentResponse(view.id(), view.toolId(), view.toolRevision(), view.slug(), view.server(), view.kind(),
                                      baseUrl + view.endpointPath(), view.status(), view.healthStatus(), view.pid(),
                                      view.restarts(), view.lastError(), view.startedAt(), view.stoppedAt(),
                                      view.lastHealthCheckAt(), view.requestedBy(), view.requestedAt(),
                                      view.definitionsChanged(), view.definitionChanges());
    }

    /** {@code {"deployments": [...]}}, newest first. */
    public record Page(List<DeploymentResponse> deployments) {
    }

    /** {@code {"lines": [...]}}: the last lines the server wrote to stderr, oldest first. */
    public record Logs(List<String> lines) {
    }
}
