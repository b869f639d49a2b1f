package org.mcpplatform.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.eventstore.EventStoreConfiguration;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.tool.RegisterTool;
import org.mcpplatform.tool.UpdateTool;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpplatform.support.Tools.stdioConfig;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The identity commands and the command bus's authorization as the running platform wires them: accounts and keys
 * reach the authentication directory at once and never the events, and every command is checked for its role.
 */
@PlatformTest
class IdentityCommandsTest {

    private static final MetaData AS_SYSTEM = MetaData.with(ActorMetaData.USER_ID, ActorMetaData.SYSTEM_USER)
                                                      .and(ActorMetaData.ROLE, Role.ADMIN.value());
    private static final ObjectNode CONFIG = stdioConfig("npx", "-y", "@acme/tool");

    @Autowired
    CommandGateway commands;
    @Autowired
    UserCredentials credentials;
    @Autowired
    ApiKeyCredentials keys;
    @Autowired
    EventStoreConnection eventStore;

    private Object send(Object command, MetaData metaData) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
    }

    private static MetaData as(String userId, Role role) {
        return MetaData.with(ActorMetaData.USER_ID, userId).and(ActorMetaData.ROLE, role.value());
    }

    private String registerUser(Role role) {
        String userId = UUID.randomUUID().toString();
        String username = "user-" + userId.substring(0, 8);
        send(new RegisterUser(userId, username, username + "@example.com", role, "$2a$12$hash-of-" + userId),
             AS_SYSTEM);
        return userId;
    }

    private boolean anyEventContains(String text) {
        for (Document event : eventStore.database().getCollection(EventStoreConfiguration.EVENTS).find()) {
            if (event.toJson().contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anAccountAndItsKeysReachTheAuthenticationDirectoryAtOnceAndTheirSecretsNoEvent() {
        String userId = registerUser(Role.DEVELOPER);
        UserCredential credential = credentials.findById(userId).orElseThrow();
        assertThat(credentials.findByUsername(credential.username().toUpperCase())).contains(credential);

        String keyId = UUID.randomUUID().toString();
        String secretHash = "sha256-of-the-secret-" + keyId;
        Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
        assertThat(send(new IssueApiKey(userId, keyId, "CI", "mcp_" + keyId.substring(0, 4), secretHash, expires),
                        as(userId, Role.DEVELOPER))).isEqualTo(2L);
        assertThat(keys.find(keyId).orElseThrow().usableAt(Instant.now())).isTrue();

        send(new RevokeApiKey(userId, keyId), as(userId, Role.DEVELOPER));
        send(new ChangeRole(userId, Role.VIEWER), AS_SYSTEM);
        send(new DeactivateUser(userId), AS_SYSTEM);
        assertThat(keys.find(keyId).orElseThrow().usableAt(Instant.now())).isFalse();
        assertThat(credentials.findById(userId).orElseThrow())
                .extracting(UserCredential::role, UserCredential::active).containsExactly(Role.VIEWER, false);

        assertThat(anyEventContains(userId)).as("the account's events are stored").isTrue();
        assertThat(anyEventContains(credential.passwordHash())).as("a password hash in an event").isFalse();
        assertThat(anyEventContains(secretHash)).as("an API key hash in an event").isFalse();
    }

    @Test
    void theCommandBusRefusesCommandsTheActorsRoleDoesNotAllow() {
        String viewer = registerUser(Role.VIEWER);
        RegisterTool registration = new RegisterTool(UUID.randomUUID().toString(), "Viewer's", uniqueSlug("viewer"),
                                                     null, "1.0.0", CONFIG);
        assertThatThrownBy(() -> send(registration, as(viewer, Role.VIEWER)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> send(registration, MetaData.emptyInstance()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> send(new ChangeRole(viewer, Role.ADMIN), as(viewer, Role.VIEWER)))
                .isInstanceOf(ForbiddenException.class);
        assertThat(credentials.findById(viewer).orElseThrow().role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void aDeveloperChangesOnlyTheToolsTheyAuthoredAndAnAdminAnyTool() {
        String author = registerUser(Role.DEVELOPER);
        String otherDeveloper = registerUser(Role.DEVELOPER);
        String toolId = UUID.randomUUID().toString();
        send(new RegisterTool(toolId, "Mine", uniqueSlug("owned"), null, "1.0.0", CONFIG),
             as(author, Role.DEVELOPER));

        assertThatThrownBy(() -> send(new UpdateTool(toolId, "Theirs", null, null, null, null, null),
                                      as(otherDeveloper, Role.DEVELOPER)))
                .isInstanceOf(ForbiddenException.class);
        assertThat(send(new UpdateTool(toolId, "Still mine", null, null, null, null, null),
                        as(author, Role.DEVELOPER))).isEqualTo(2L);
        assertThat(send(new UpdateTool(toolId, "The admin's edit", null, null, null, null, null), AS_SYSTEM))
                .isEqualTo(3L);
    }
}
