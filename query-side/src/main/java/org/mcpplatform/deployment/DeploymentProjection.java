package org.mcpplatform.deployment;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;

/**
 * Projects deployment events into mcp_deployments, the only writer of the table. Deployments change a few times a
 * minute at most (health checks included), so each event is one statement in the processor's transaction, which also
 * stores its token. A row's revision is the event's sequence number + 1: the revision the command side answered.
 */
@ProcessingGroup(DeploymentProjection.PROCESSING_GROUP)
public class DeploymentProjection {

    public static final String PROCESSING_GROUP = "deployment-projection";

    private final DeploymentReadRepository repository;

    public DeploymentProjection(DeploymentReadRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(DeploymentRequested event, @Timestamp Instant at, @SequenceNumber long sequence) {
        repository.insert(event, at, sequence + 1);
    }

    @EventHandler
    void on(DeploymentStarted event, @Timestamp Instant at, @SequenceNumber long sequence) {
        repository.started(event.deploymentId(), event.pid(), at, sequence + 1);
    }

    @EventHandler
    void on(HealthRecorded event, @Timestamp Instant at, @SequenceNumber long sequence) {
        // a null health status means "still counting failures": what clients see stays the last conclusive check
        repository.healthRecorded(event.deploymentId(), event.healthStatus(), event.error(), at, sequence + 1);
    }

    @EventHandler
    void on(DeploymentRestarted event, @SequenceNumber long sequence) {
        repository.restarted(event.deploymentId(), event.restarts(), event.reason(), sequence + 1);
    }

    @EventHandler
    void on(DeploymentFailed event, @SequenceNumber long sequence) {
        repository.failed(event.deploymentId(), event.error(), sequence + 1);
    }

    @EventHandler
    void on(DeploymentStopped event, @Timestamp Instant at, @SequenceNumber long sequence) {
        repository.stopped(event.deploymentId(), at, sequence + 1);
    }

    @EventHandler
    void on(ToolDefinitionsPinned event, @SequenceNumber long sequence) {
        repository.definitionsTrusted(event.deploymentId(), sequence + 1);
    }

    @EventHandler
    void on(ToolDefinitionsChanged event, @SequenceNumber long sequence) {
        repository.definitionsChanged(event.deploymentId(), event.changes(), sequence + 1);
    }

    @EventHandler
    void on(ToolDefinitionsApproved event, @SequenceNumber long sequence) {
        repository.definitionsTrusted(event.deploymentId(), sequence + 1);
    }

    /** Before a replay: the read model is rebuilt from the first event, so everything it holds goes. */
    @ResetHandler
    void reset() {
        repository.deleteAll();
    }
}
