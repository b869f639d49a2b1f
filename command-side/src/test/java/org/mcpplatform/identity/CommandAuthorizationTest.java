package org.mcpplatform.identity;

import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcpplatform.common.ForbiddenException;
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
import org.mcpplatform.tool.ToolStatus;
import org.mcpplatform.tool.UpdateTool;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.strings;

/** Who may send which command, through a real command bus with the authorization interceptor on it. */
class CommandAuthorizationTest {

    private static final String ACTOR = "actor-1";
    private static final String OTHER = "user-2";
    private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);
    private static final Set<Role> TOOL_WRITERS = EnumSet.of(Role.ADMIN, Role.DEVELOPER);
    private static final Set<Role> NOBODY = EnumSet.noneOf(Role.class);

    private final List<Object> handled = new CopyOnWriteArrayList<>();
    private SimpleCommandBus bus;

    /** One command of each type the platform has, and the roles that may send it about someone else's account. */
    static Stream<Arguments> everyCommand() {
        return Stream.of(
                Arguments.of(new RegisterTool("t-1", "Memory", "memory", null, "1.0.0", null), TOOL_WRITERS),
                Arguments.of(new UpdateTool("t-1", "Renamed", null, null, null, null, null), TOOL_WRITERS),
                Arguments.of(new ChangeToolStatus("t-1", ToolStatus.ACTIVE, null), TOOL_WRITERS),
                Arguments.of(new RevertToolConfig("t-1", 1, null), TOOL_WRITERS),
                Arguments.of(new DeleteTool("t-1", null), TOOL_WRITERS),
                Arguments.of(new RegisterUser(OTHER, "ben", "ben@example.com", Role.VIEWER, "hash"), ADMINS),
                Arguments.of(new ChangeRole(OTHER, Role.ADMIN), ADMINS),
                Arguments.of(new DeactivateUser(OTHER), ADMINS),
                Arguments.of(new IssueApiKey(OTHER, "k-1", "CI", "mcp_1", "hash", null), ADMINS),
                Arguments.of(new RevokeApiKey(OTHER, "k-1"), ADMINS),
                // developers deploy and stop (their own tools: the aggregate checks), only admins approve
                Arguments.of(new RequestDeployment("d-1", "t-1", null), TOOL_WRITERS),
                Arguments.of(new StopDeployment("d-1"), TOOL_WRITERS),
                Arguments.of(new ApproveToolDefinitions("d-1"), ADMINS),
                // what the supervisor observes: no user, whatever their role, reports it
                Arguments.of(new MarkDeploymentRunning("d-1", 42L, "s", "1", "2025-06-18"), NOBODY),
                Arguments.of(new RecordDeploymentHealth("d-1", true, 3L, null), NOBODY),
                Arguments.of(new RestartDeployment("d-1", "crashed"), NOBODY),
                Arguments.of(new FailDeployment("d-1", "crashed"), NOBODY),
                Arguments.of(new RecordToolDefinitions("d-1", List.of()), NOBODY));
    }

    static Stream<Arguments> everyCommandAndRole() {
        List<Arguments> cases = new ArrayList<>();
        everyCommand().forEach(command -> {
            for (Role role : Role.values()) {
                Object payload = command.get()[0];
                @SuppressWarnings("unchecked")
                Set<Role> allowed = (Set<Role>) command.get()[1];
                cases.add(Arguments.of(payload.getClass().getSimpleName(), payload, role, allowed.contains(role)));
            }
        });
        return cases.stream();
    }

    @BeforeEach
    void setUp() {
        bus = SimpleCommandBus.builder().build();
        bus.registerHandlerInterceptor(new CommandAuthorization());
        everyCommand().forEach(command -> {
            Class<?> type = command.get()[0].getClass();
            bus.subscribe(type.getName(), message -> {
                handled.add(message.getPayload());
                return "handled";
            });
        });
        bus.subscribe(UnlistedCommand.class.getName(), message -> {
            handled.add(message.getPayload());
            return "handled";
        });
    }

    record UnlistedCommand(String id) {
    }

    private CommandResultMessage<?> send(Object command, Map<String, ?> metaData) {
        FutureCallback<Object, Object> callback = new FutureCallback<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData), callback);
        return callback.getResult();
    }

    private static Map<String, ?> actor(String userId, Role role) {
        return Map.of(ActorMetaData.USER_ID, userId, ActorMetaData.ROLE, role.value());
    }

    private static void assertForbidden(CommandResultMessage<?> result) {
        assertThat(result.isExceptional()).as("refused").isTrue();
        assertThat(result.exceptionResult()).isInstanceOf(ForbiddenException.class);
    }

    @ParameterizedTest(name = "{0} as {2}: allowed = {3}")
    @MethodSource("everyCommandAndRole")
    void eachCommandIsAllowedExactlyToTheRolesWithItsPermission(String name, Object command, Role role,
                                                               boolean allowed) {
        CommandResultMessage<?> result = send(command, actor(ACTOR, role));
        if (allowed) {
            assertThat(result.isExceptional()).as("allowed").isFalse();
            assertThat(handled).containsExactly(command);
        } else {
            assertForbidden(result);
            assertThat(handled).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyUserManagesTheirOwnApiKeysWhateverTheirRole(Role role) {
        assertThat(send(new IssueApiKey(ACTOR, "k-1", "CI", "mcp_1", "hash", null), actor(ACTOR, role))
                           .isExceptional()).isFalse();
        assertThat(send(new RevokeApiKey(ACTOR, "k-1"), actor(ACTOR, role)).isExceptional()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void nobodyChangesTheirOwnRoleOrDeactivatesThemselves(Role role) {
        assertForbidden(send(new ChangeRole(ACTOR, Role.ADMIN), actor(ACTOR, role)));
        assertForbidden(send(new DeactivateUser(ACTOR), actor(ACTOR, role)));
        assertThat(handled).isEmpty();
    }

    @Test
    void thePlatformItselfReportsWhatItObservesOfDeployments() {
        Map<String, ?> system = actor(ActorMetaData.SYSTEM_USER, Role.ADMIN);
        List<Object> observations = List.of(new MarkDeploymentRunning("d-1", 42L, "s", "1", "2025-06-18"),
                                            new RecordDeploymentHealth("d-1", false, null, "timeout"),
                                            new RestartDeployment("d-1", "crashed"),
                                            new FailDeployment("d-1", "crashed"),
                                            new RecordToolDefinitions("d-1", List.of()),
                                            new StopDeployment("d-1"));
        for (Object observation : observations) {
            assertThat(send(observation, system).isExceptional()).as(observation.toString()).isFalse();
        }
        assertThat(handled).containsExactlyElementsOf(observations);
    }

    @Test
    void aCommandWithoutAnActingUserIsRefused() {
        assertForbidden(send(new DeleteTool("t-1", null), Map.of(ActorMetaData.ROLE, "admin")));
        assertForbidden(send(new DeleteTool("t-1", null), Map.of(ActorMetaData.USER_ID, " ",
                                                                  ActorMetaData.ROLE, "admin")));
        assertThat(handled).isEmpty();
    }

    @Test
    void aCommandWithoutAKnownRoleIsRefused() {
        assertForbidden(send(new DeleteTool("t-1", null), Map.of(ActorMetaData.USER_ID, ACTOR)));
        assertForbidden(send(new DeleteTool("t-1", null), Map.of(ActorMetaData.USER_ID, ACTOR,
                                                                  ActorMetaData.ROLE, "ADMIN")));
        assertForbidden(send(new DeleteTool("t-1", null), Map.of(ActorMetaData.USER_ID, ACTOR,
                                                                  ActorMetaData.ROLE, "root")));
        assertThat(handled).isEmpty();
    }

    @Test
    void aCommandWithoutAnAuthorizationRuleIsRefusedEvenToAnAdmin() {
        assertForbidden(send(new UnlistedCommand("x"), actor(ActorMetaData.SYSTEM_USER, Role.ADMIN)));
        assertThat(handled).isEmpty();
    }

    @Test
    void theRoleMayTravelAsARoleToo() {
        CommandResultMessage<?> result = send(new DeleteTool("t-1", null),
                                              Map.of(ActorMetaData.USER_ID, ACTOR, ActorMetaData.ROLE, Role.ADMIN));
        assertThat(result.isExceptional()).isFalse();
    }

    @Test
    void someoneElsesApiKeysAreManagedOnlyByAdmins() {
        CommandAuthorization authorization = new CommandAuthorization();
        // ids from a tiny alphabet, so that the actor is often the account
        qt().forAll(strings().betweenCodePoints('a', 'b').ofLengthBetween(1, 2),
                    strings().betweenCodePoints('a', 'b').ofLengthBetween(1, 2),
                    arbitrary().enumValues(Role.class))
            .checkAssert((actor, account, role) -> {
                boolean allowed = actor.equals(account) || role == Role.ADMIN;
                for (Object command : List.of(new IssueApiKey(account, "k", "CI", "p", "h", null),
                                              new RevokeApiKey(account, "k"))) {
                    var message = GenericCommandMessage.asCommandMessage(command)
                                                       .andMetaData(MetaData.from(actor(actor, role)));
                    if (allowed) {
                        authorization.authorize(message);
                    } else {
                        assertThatThrownBy(() -> authorization.authorize(message))
                                .isInstanceOf(ForbiddenException.class);
                    }
                }
            });
    }
}
