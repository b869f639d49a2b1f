package org.mcpplatform.deployment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.identity.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One deployment of a tool, from request to stop or failure. It holds what its decisions need: its tool and owner (a
 * developer stops only deployments of their own tools), its status, the count of failed health checks and restarts,
 * and the pinned tool definitions it compares each listing against. Every handler returns the revision.
 * <p>
 * Requests are handled by {@link DeploymentRequests}, which first claims the tool.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Deployment {

    public static final String RESOURCE_TYPE = "Deployment";

    @AggregateIdentifier
    private String deploymentId;
    private String toolId;
    private String ownerId;
    private DeploymentStatus status;
    private int consecutiveFailures;
    private int restarts;
    private Map<String, ToolFingerprint> pinned;
    private List<ToolFingerprint> pendingListing;
    private long revision;

    protected Deployment() {
        // for event sourcing
    }

    Deployment(DeploymentRequested requested) {
        apply(requested);
    }

    @CommandHandler
    public long handle(MarkDeploymentRunning command) {
        if (status == DeploymentStatus.STARTING) {
            apply(new DeploymentStarted(deploymentId, command.pid(), command.serverName(), command.serverVersion(),
                                        command.protocolVersion()));
        }
        return revision;
    }

    @CommandHandler
    public long handle(RecordDeploymentHealth command, DeploymentRules rules) {
        if (!status.active()) {
            return revision;
        }
        int failures = command.healthy() ? 0 : consecutiveFailures + 1;
        // null while failures are still being counted: the health clients see stays what the last conclusive check said
        HealthStatus health = command.healthy() ? HealthStatus.HEALTHY
                : failures >= rules.unhealthyAfter() ? HealthStatus.UNHEALTHY : null;
        apply(new HealthRecorded(deploymentId, command.healthy(), command.latencyMillis(), command.error(), failures,
                                 health));
        return revision;
    }

    @CommandHandler
    public long handle(RestartDeployment command) {
        if (status.active()) {
            apply(new DeploymentRestarted(deploymentId, restarts + 1, command.reason()));
        }
        return revision;
    }

    @CommandHandler
    public long handle(FailDeployment command, DeploymentClaims claims) {
        if (status.active()) {
            apply(new DeploymentFailed(deploymentId, toolId, command.error()));
            releaseAfterCommit(claims);
        }
        return revision;
    }

    @CommandHandler
    public long handle(StopDeployment command, DeploymentClaims claims,
                       @MetaDataValue(ActorMetaData.USER_ID) String actor,
                       @MetaDataValue(ActorMetaData.ROLE) String role) {
        ensureOwnedBy(actor, role);
        if (status.active()) {
            apply(new DeploymentStopped(deploymentId, toolId, actor));
            releaseAfterCommit(claims);
        }
        return revision;
    }

    @CommandHandler
    public long handle(RecordToolDefinitions command) {
        if (!status.active()) {
            return revision;
        }
        List<ToolFingerprint> listed = command.tools() == null ? List.of() : command.tools();
        if (pinned == null) {
            apply(new ToolDefinitionsPinned(deploymentId, toolId, List.copyOf(listed)));
            return revision;
        }
        if (pendingListing != null && ToolDefinitionDiff.between(index(pendingListing), listed).isEmpty()) {
            return revision; // the same unapproved listing again
        }
        List<ToolDefinitionChange> changes = ToolDefinitionDiff.between(pinned, listed);
        if (!changes.isEmpty()) {
            apply(new ToolDefinitionsChanged(deploymentId, toolId, changes, List.copyOf(listed)));
        }
        return revision;
    }

    /** Only admins approve (the command bus checks deployments:update), whatever the listing holds now. */
    @CommandHandler
    public long handle(ApproveToolDefinitions command, @MetaDataValue(ActorMetaData.USER_ID) String actor) {
        if (pendingListing == null) {
            throw new ConflictException("NOTHING_TO_APPROVE",
                                        "The deployment's tool definitions have not changed since they were pinned");
        }
        apply(new ToolDefinitionsApproved(deploymentId, toolId, pendingListing, actor));
        return revision;
    }

    private void ensureOwnedBy(String actor, String role) {
        if (actor == null) {
            throw new ForbiddenException("The command carries no acting user");
        }
        boolean privileged = ActorMetaData.SYSTEM_USER.equals(actor) || Role.ADMIN.value().equals(role);
        if (!privileged && !actor.equals(ownerId)) {
            throw new ForbiddenException("Only the tool's author or an admin may change this deployment");
        }
    }

    private void releaseAfterCommit(DeploymentClaims claims) {
        String tool = toolId;
        String id = deploymentId;
        CurrentUnitOfWork.get().afterCommit(unitOfWork -> claims.release(tool, id));
    }

    @EventSourcingHandler
    void on(DeploymentRequested event) {
        deploymentId = event.deploymentId();
        toolId = event.toolId();
        ownerId = event.ownerId();
        status = DeploymentStatus.STARTING;
        revision++;
    }

    @EventSourcingHandler
    void on(DeploymentStarted event) {
        status = DeploymentStatus.RUNNING;
        consecutiveFailures = 0;
        revision++;
    }

    @EventSourcingHandler
    void on(HealthRecorded event) {
        consecutiveFailures = event.consecutiveFailures();
        revision++;
    }

    @EventSourcingHandler
    void on(DeploymentRestarted event) {
        status = DeploymentStatus.STARTING;
        restarts = event.restarts();
        consecutiveFailures = 0;
        revision++;
    }

    @EventSourcingHandler
    void on(DeploymentFailed event) {
        status = DeploymentStatus.FAILED;
        revision++;
    }

    @EventSourcingHandler
    void on(DeploymentStopped event) {
        status = DeploymentStatus.STOPPED;
        revision++;
    }

    @EventSourcingHandler
    void on(ToolDefinitionsPinned event) {
        pinned = index(event.tools());
        revision++;
    }

    @EventSourcingHandler
    void on(ToolDefinitionsChanged event) {
        pendingListing = event.tools();
        revision++;
    }

    @EventSourcingHandler
    void on(ToolDefinitionsApproved event) {
        pinned = index(event.tools());
        pendingListing = null;
        revision++;
    }

    private static Map<String, ToolFingerprint> index(List<ToolFingerprint> tools) {
        Map<String, ToolFingerprint> byName = new LinkedHashMap<>();
        for (ToolFingerprint tool : tools) {
            byName.put(tool.name(), tool);
        }
        return byName;
    }

    /** Differences of a listing from the pinned definitions, by tool name. */
    static final class ToolDefinitionDiff {

        private ToolDefinitionDiff() {
        }

        static List<ToolDefinitionChange> between(Map<String, ToolFingerprint> pinned, List<ToolFingerprint> listed) {
            List<ToolDefinitionChange> changes = new ArrayList<>();
            Map<String, ToolFingerprint> now = index(listed);
            for (ToolFingerprint tool : listed) {
                ToolFingerprint before = pinned.get(tool.name());
                if (before == null) {
                    changes.add(new ToolDefinitionChange(tool.name(), ToolDefinitionChange.Kind.ADDED, null,
                                                         tool.definition()));
                } else if (!Objects.equals(before.fingerprint(), tool.fingerprint())) {
                    changes.add(new ToolDefinitionChange(tool.name(), ToolDefinitionChange.Kind.CHANGED,
                                                         before.definition(), tool.definition()));
                }
            }
            for (ToolFingerprint before : pinned.values()) {
                if (!now.containsKey(before.name())) {
                    changes.add(new ToolDefinitionChange(before.name(), ToolDefinitionChange.Kind.REMOVED,
                                                         before.definition(), null));
                }
            }
            return changes;
        }
    }
}
