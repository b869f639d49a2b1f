package org.mcpplatform.identity;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user account's consistency boundary: its role, whether it is active, and which of its API keys are revoked. Every
 * command handler returns the account's revision (its number of events) after the command.
 * <p>
 * The credential stores are written in the command's unit of work, each change undone if the unit of work rolls
 * back. They are written before the event, so a crash between the two writes leaves a deactivation or a revocation in
 * force without its event, never the reverse. Deactivating or revoking again records nothing but writes the
 * credential again, which mends what an undo racing another node's identical command left (the gateway retries the
 * loser of that race, so it is mended at once). Who may send which command is {@link CommandAuthorization}'s
 * decision, taken before these handlers run.
 * <p>
 * No aggregate cache on purpose: account commands are rare, and a cached account that another node changed would
 * answer "unknown key" or "nothing to change" without ever appending, so the stale copy would not be noticed.
 * Registration is handled by {@link UserRegistration}, which first claims the username and email.
 */
@Aggregate(snapshotTriggerDefinition = "userSnapshotTrigger")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class UserAccount {

    public static final String RESOURCE_TYPE = "User";
    public static final String API_KEY_RESOURCE_TYPE = "API key";

    @AggregateIdentifier
    private String userId;
    private Role role;
    private boolean active;
    /** Every key ever issued to the account, by id: true once revoked. */
    private Map<String, Boolean> apiKeys = new HashMap<>();
    private long revision;

    protected UserAccount() {
        // for event sourcing and snapshots
    }

    UserAccount(RegisterUser command) {
        apply(new UserRegistered(command.userId(), command.username(), command.email(), command.role()));
    }

    @CommandHandler
    public long handle(ChangeRole command, UserCredentials credentials) {
        if (command.role() == null) {
            throw new ValidationException(List.of(new Violation("role", "is required (admin, developer or viewer)")));
        }
        if (command.role() != role) {
            Role previous = role;
            credentials.setRole(userId, command.role());
            CurrentUnitOfWork.get().onRollback(unitOfWork -> credentials.setRole(userId, previous));
            apply(new RoleChanged(userId, previous, command.role()));
        }
        return revision;
    }

    @CommandHandler
    public long handle(DeactivateUser command, UserCredentials credentials) {
        credentials.setActive(userId, false);
        if (active) {
            CurrentUnitOfWork.get().onRollback(unitOfWork -> credentials.setActive(userId, true));
            apply(new UserDeactivated(userId));
        }
        return revision;
    }

    @CommandHandler
    public long handle(IssueApiKey command, UserRules rules, ApiKeyCredentials keys) {
        rules.checkApiKey(command);
        if (!active) {
            throw new ConflictException("CONFLICT", "User '" + userId + "' is deactivated and cannot get API keys");
        }
        if (apiKeys.containsKey(command.keyId())) {
            throw new ConflictException("CONFLICT", "User '" + userId + "' already has an API key with id '"
                    + command.keyId() + "'");
        }
        keys.store(command.keyId(), userId, command.secretHash(), command.expiresAt());
        CurrentUnitOfWork.get().onRollback(unitOfWork -> keys.delete(command.keyId()));
        apply(new ApiKeyIssued(userId, command.keyId(), command.name(), command.prefix(), command.expiresAt()));
        return revision;
    }

    @CommandHandler
    public long handle(RevokeApiKey command, ApiKeyCredentials keys) {
        Boolean revoked = apiKeys.get(command.keyId());
        if (revoked == null) {
            // another account's key is as unknown here as a key that never existed
            throw new NotFoundException(API_KEY_RESOURCE_TYPE, command.keyId());
        }
        keys.markRevoked(command.keyId(), Instant.now());
        if (!revoked) {
            CurrentUnitOfWork.get().onRollback(unitOfWork -> keys.unmarkRevoked(command.keyId()));
            apply(new ApiKeyRevoked(userId, command.keyId()));
        }
        return revision;
    }

    @EventSourcingHandler
    void on(UserRegistered event, @SequenceNumber long sequence) {
        userId = event.userId();
        role = event.role();
        active = true;
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(RoleChanged event, @SequenceNumber long sequence) {
        role = event.role();
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(UserDeactivated event, @SequenceNumber long sequence) {
        active = false;
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(ApiKeyIssued event, @SequenceNumber long sequence) {
        apiKeys.put(event.keyId(), false);
        revision = sequence + 1;
    }

    @EventSourcingHandler
    void on(ApiKeyRevoked event, @SequenceNumber long sequence) {
        apiKeys.put(event.keyId(), true);
        revision = sequence + 1;
    }
}
