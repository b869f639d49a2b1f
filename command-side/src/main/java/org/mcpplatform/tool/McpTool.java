package org.mcpplatform.tool;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.mcpplatform.common.CanonicalJson;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.RevisionMismatchException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.identity.Role;

import java.util.List;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An MCP tool's consistency boundary. It keeps only what its decisions need: the fields an update compares against,
 * a digest of the config (configs are up to 256 KB), the status, whether it is deleted, and its revision (the number
 * of its events, which clients see as the ETag). Every command handler returns the revision after the command.
 * <p>
 * Every change is made by the tool's author or by an admin: the handlers take the acting user and role from the
 * command's metadata. Whether the role may change tools at all is decided before, by the command bus's authorization.
 * <p>
 * Registration is handled by {@link ToolRegistration}, which first claims the slug.
 */
@Aggregate(snapshotTriggerDefinition = "toolSnapshotTrigger", cache = "toolAggregateCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class McpTool {

    public static final String RESOURCE_TYPE = "MCP tool";

    @AggregateIdentifier
    private String toolId;
    private String authorId;
    private String name;
    private String description;
    private String version;
    private String configDigest;
    private ToolStatus status;
    private boolean deleted;
    private long revision;

    protected McpTool() {
        // for event sourcing and snapshots
    }

    McpTool(RegisterTool command, String authorId) {
        apply(new ToolRegistered(command.toolId(), command.name(), command.slug(), emptyToNull(command.description()),
                                 command.version(), command.config(), authorId, ToolStatus.DRAFT));
    }

    @CommandHandler
    public long handle(UpdateTool command, ToolRules rules,
                       @MetaDataValue(ActorMetaData.USER_ID) String actor,
                       @MetaDataValue(ActorMetaData.ROLE) String role) {
        ensureWritable(command.expectedRevision(), actor, role);
        rules.checkUpdate(command);
        ToolStatus targetStatus = command.status();
        if (targetStatus != null && targetStatus != status) {
            ensureTransitionAllowed(targetStatus);
        }
        String newName = command.name() != null ? command.name() : name;
        String newDescription = command.description() != null ? emptyToNull(command.description()) : description;
        String newVersion = command.version() != null ? command.version() : version;
        JsonNode newConfig = command.config();
        boolean configChanged = newConfig != null && !CanonicalJson.digest(newConfig).equals(configDigest);
        boolean fieldsChanged = !newName.equals(name)
                || !Objects.equals(newDescription, description)
                || !newVersion.equals(version);
        if (fieldsChanged || configChanged) {
            apply(new ToolUpdated(toolId, newName, newDescription, newVersion, configChanged ? newConfig : null));
        }
        if (targetStatus != null && targetStatus != status) {
            apply(new ToolStatusChanged(toolId, status, targetStatus));
        }
        return revision;
    }

    @CommandHandler
    public long handle(ChangeToolStatus command,
                       @MetaDataValue(ActorMetaData.USER_ID) String actor,
                       @MetaDataValue(ActorMetaData.ROLE) String role) {
        ensureWritable(command.expectedRevision(), actor, role);
        if (command.status() == null) {
            throw new ValidationException(List.of(new Violation("status", "is required")));
        }
        if (command.status() != status) {
            ensureTransitionAllowed(command.status());
            apply(new ToolStatusChanged(toolId, status, command.status()));
        }
        return revision;
    }

    @CommandHandler
    public long handle(DeleteTool command,
                       @MetaDataValue(ActorMetaData.USER_ID) String actor,
                       @MetaDataValue(ActorMetaData.ROLE) String role) {
        ensureWritable(command.expectedRevision(), actor, role);
        apply(new ToolDeleted(toolId));
        return revision;
    }

    @CommandHandler
    public long handle(RevertToolConfig command, ToolConfigHistory history,
                       @MetaDataValue(ActorMetaData.USER_ID) String actor,
                       @MetaDataValue(ActorMetaData.ROLE) String role) {
        ensureWritable(command.expectedRevision(), actor, role);
        if (command.revision() < 1 || command.revision() > revision) {
            throw new ValidationException(List.of(new Violation(
                    "version", "must name a version of this tool, 1 to " + revision)));
        }
        JsonNode config = history.configAt(toolId, command.revision());
        if (!CanonicalJson.digest(config).equals(configDigest)) {
            apply(new ToolConfigReverted(toolId, command.revision(), config));
        }
        return revision;
    }

    /**
     * A deleted tool is not found, for anyone, as on reads; a refusal comes before the revision check, so that a user
     * who may not change the tool learns nothing more about it.
     */
    private void ensureWritable(Long expectedRevision, String actor, String role) {
        if (deleted) {
            throw new NotFoundException(RESOURCE_TYPE, toolId);
        }
        if (actor == null) {
            throw new ForbiddenException("The command carries no acting user");
        }
        if (!Role.ADMIN.value().equals(role) && !actor.equals(authorId)) {
            throw new ForbiddenException("Only the author of " + RESOURCE_TYPE + " '" + toolId
                                                 + "' or an admin may change it");
        }
        if (expectedRevision != null && expectedRevision != revision) {
            throw new RevisionMismatchException(expectedRevision, revision);
        }
    }

    private void ensureTransitionAllowed(ToolStatus target) {
        if (!status.mayBecome(target)) {
            throw new ConflictException("CONFLICT", "A tool cannot go from " + status.value() + " to "
                    + target.value() + " (allowed: draft -> active -> deprecated, deprecated -> active)");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @EventSourcingHandler
    void on(ToolRegistered event, @SequenceNumber long sequence) {
        toolId = event.toolId();
        authorId = event.authorId();
        name = event.name();
        description = event.description();
        version = event.version();
        configDigest = CanonicalJson.digest(event.config());
        status = event.status();
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(ToolUpdated event, @SequenceNumber long sequence) {
        name = event.name();
        description = event.description();
        version = event.version();
        if (event.config() != null) {
            configDigest = CanonicalJson.digest(event.config());
        }
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(ToolStatusChanged event, @SequenceNumber long sequence) {
        status = event.to();
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(ToolDeleted event, @SequenceNumber long sequence) {
        deleted = true;
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(ToolConfigReverted event, @SequenceNumber long sequence) {
        configDigest = CanonicalJson.digest(event.config());
        revision = sequence + 1;
    }
}
