package org.mcpplatform.identity;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.broadcast.SendBroadcast;
import org.mcpplatform.deployment.ApproveToolDefinitions;
import org.mcpplatform.deployment.FailDeployment;
import org.mcpplatform.deployment.MarkDeploymentRunning;
import org.mcpplatform.deployment.RecordDeploymentHealth;
import org.mcpplatform.deployment.RecordToolDefinitions;
import org.mcpplatform.deployment.RequestDeployment;
import org.mcpplatform.deployment.RestartDeployment;
import org.mcpplatform.deployment.StopDeployment;
import org.mcpplatform.tool.ChangeToolStatus;
import org.mcpplatform.tool.DeleteTool;
import org.mcpplatform.tool.RegisterTool;
import org.mcpplatform.tool.RevertToolConfig;
import org.mcpplatform.tool.UpdateTool;

import java.util.Map;
import java.util.function.Function;

import static java.util.Map.entry;

/**
 * Checks the acting user's role on every command before any handler runs, from the command's metadata
 * ({@link ActorMetaData#USER_ID}, {@link ActorMetaData#ROLE}), whoever sent it: the API, a saga, the bootstrap. A
 * command without an actor, with an unknown role, or of a type missing from {@link #RULES} is refused: a new command
 * is unusable until someone decides who may send it.
 * <p>
 * Role checks live here; checks that need the resource's state (a developer changes only the tools they authored)
 * live in the aggregate, which knows the state.
 */
public class CommandAuthorization implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final Map<Class<?>, Rule> RULES = Map.ofEntries(
            entry(RegisterTool.class, permission("mcps", "create")),
            entry(UpdateTool.class, permission("mcps", "update")),
            entry(ChangeToolStatus.class, permission("mcps", "update")),
            entry(RevertToolConfig.class, permission("mcps", "update")),
            entry(DeleteTool.class, permission("mcps", "delete")),
            entry(RegisterUser.class, permission("users", "create")),
            // nobody promotes themselves, and no admin locks themselves (and maybe everyone) out
            entry(ChangeRole.class, notOnOneself(ChangeRole.class, ChangeRole::userId, "change their own role",
                                                 permission("users", "update"))),
            entry(DeactivateUser.class, notOnOneself(DeactivateUser.class, DeactivateUser::userId,
                                                     "deactivate themselves", permission("users", "delete"))),
            entry(IssueApiKey.class, ownAccountOr(IssueApiKey.class, IssueApiKey::userId,
                                                  permission("users", "update"))),
            entry(RevokeApiKey.class, ownAccountOr(RevokeApiKey.class, RevokeApiKey::userId,
                                                   permission("users", "update"))),
            entry(RequestDeployment.class, permission("deployments", "create")),
            entry(StopDeployment.class, systemOr(permission("deployments", "delete"))),
            entry(ApproveToolDefinitions.class, permission("deployments", "update")),
            // what the supervisor observes is the platform's to report, nobody else's
            entry(MarkDeploymentRunning.class, systemOnly()),
            entry(RecordDeploymentHealth.class, systemOnly()),
            entry(RestartDeployment.class, systemOnly()),
            entry(FailDeployment.class, systemOnly()),
            entry(RecordToolDefinitions.class, systemOnly()),
            entry(SendBroadcast.class, adminOnly()));

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        authorize(unitOfWork.getMessage());
        return interceptorChain.proceed();
    }

    /** Returns if the command's actor may send it, else throws a 403-mapped {@link ForbiddenException}. */
    public void authorize(CommandMessage<?> command) {
        Rule rule = RULES.get(command.getPayloadType());
        if (rule == null) {
            throw new ForbiddenException("No one may send " + command.getPayloadType().getSimpleName()
                                                 + ": the platform has no authorization rule for it");
        }
        Object actor = command.getMetaData().get(ActorMetaData.USER_ID);
        if (!(actor instanceof String userId) || userId.isBlank()) {
            throw new ForbiddenException("The command carries no acting user");
        }
        rule.check(userId, role(command.getMetaData().get(ActorMetaData.ROLE)), command.getPayload());
    }

    private static Role role(Object value) {
        if (value instanceof Role role) {
            return role;
        }
        if (value instanceof String name) {
            try {
                return Role.fromValue(name);
            } catch (IllegalArgumentException e) {
                throw new ForbiddenException("The acting user's role '" + name + "' is unknown");
            }
        }
        throw new ForbiddenException("The command carries no role of the acting user");
    }

    @FunctionalInterface
    private interface Rule {

        void check(String actor, Role role, Object command);
    }

    private static Rule permission(String resource, String action) {
        return (actor, role, command) -> {
            if (!RolePermissions.allows(role, resource, action)) {
                throw new ForbiddenException("The role " + role.value() + " may not " + action + " " + resource
                                                     + " (needs " + resource + ":" + action + ")");
            }
        };
    }

    private static Rule adminOnly() {
        return (actor, role, command) -> {
            if (role != Role.ADMIN) {
                throw new ForbiddenException("Only administrators send " + command.getClass().getSimpleName());
            }
        };
    }

    private static Rule systemOnly() {
        return (actor, role, command) -> {
            if (!ActorMetaData.SYSTEM_USER.equals(actor)) {
                throw new ForbiddenException("Only the platform itself sends "
                                                     + command.getClass().getSimpleName());
            }
        };
    }

    private static Rule systemOr(Rule otherwise) {
        return (actor, role, command) -> {
            if (!ActorMetaData.SYSTEM_USER.equals(actor)) {
                otherwise.check(actor, role, command);
            }
        };
    }

    /** A user's own API keys are theirs to manage, whatever their role. */
    private static <C> Rule ownAccountOr(Class<C> type, Function<C, String> account, Rule otherwise) {
        return (actor, role, command) -> {
            if (!actor.equals(account.apply(type.cast(command)))) {
                otherwise.check(actor, role, command);
            }
        };
    }

    private static <C> Rule notOnOneself(Class<C> type, Function<C, String> account, String what, Rule otherwise) {
        return (actor, role, command) -> {
            if (actor.equals(account.apply(type.cast(command)))) {
                throw new ForbiddenException("Users may not " + what);
            }
            otherwise.check(actor, role, command);
        };
    }
}
