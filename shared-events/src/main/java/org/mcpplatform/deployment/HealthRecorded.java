package org.mcpplatform.deployment;

import org.axonframework.serialization.Revision;

/**
 * One health check. {@code consecutiveFailures} counts failed checks since the last good one;
 * {@code healthStatus} turns unhealthy at the configured threshold.
 */
@Revision("1")
public record HealthRecorded(String deploymentId,
                             boolean healthy,
                             Long latencyMillis,
                             String error,
                             int consecutiveFailures,
                             HealthStatus healthStatus) implements DeploymentEvent {
}
