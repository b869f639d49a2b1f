package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.common.CanonicalJson;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.RevisionMismatchException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.identity.Role;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of the McpTool aggregate and of its registration, one behaviour per test. */
class McpToolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOL = "5b1f6f3e-8a3c-4c2e-9a43-2d4c7a7e9f01";
    private static final String ALICE = "0c8f1e7a-1111-4000-8000-000000000001";
    private static final String BOB = "0c8f1e7a-2222-4000-8000-000000000002";
    private static final String CAROL = "0c8f1e7a-3333-4000-8000-000000000003";
    private static final Map<String, Object> AS_ALICE = actor(ALICE, Role.DEVELOPER);
    /** A developer who did not author the tool. */
    private static final Map<String, Object> AS_BOB = actor(BOB, Role.DEVELOPER);
    /** An admin who did not author the tool. */
    private static final Map<String, Object> AS_CAROL = actor(CAROL, Role.ADMIN);

    private MongoServer mongo;
    private MongoClient client;
    private SlugClaims claims;
    private AggregateTestFixture<McpTool> fixture;

    @BeforeEach
    void setUp() {
        mongo = new MongoServer(new MemoryBackend());
        client = MongoClients.create(mongo.bindAndGetConnectionString());
        fixture = new AggregateTestFixture<>(McpTool.class);
        ToolRules rules = new ToolRules(new ToolConfigSchema());
        claims = new SlugClaims(client.getDatabase("test").getCollection("claims"), fixture.getEventStore(),
                                Duration.ofMinutes(2), Clock.systemUTC());
        fixture.registerInjectableResource(rules);
        fixture.registerInjectableResource(new ToolConfigHistory(fixture.getEventStore()));
        fixture.registerAnnotatedCommandHandler(new ToolRegistration(fixture.getRepository(), claims, rules));
    }

    @AfterEach
    void tearDown() {
        client.close();
        mongo.shutdownNow();
    }

    private static Map<String, Object> actor(String userId, Role role) {
        return Map.of(ActorMetaData.USER_ID, userId, ActorMetaData.ROLE, role.value());
    }

    static ObjectNode config(String command, String... args) {
        ObjectNode config = JSON.createObjectNode();
        ObjectNode server = config.putObject("mcpServers").putObject("main");
        server.put("command", command);
        var argv = server.putArray("args");
        for (String arg : args) {
            argv.add(arg);
        }
        return config;
    }

    static final ObjectNode CONFIG = config("npx", "-y", "@modelcontextprotocol/server-memory");
    static final ObjectNode OTHER_CONFIG = config("uvx", "mcp-server-fetch");

    private static ToolRegistered registered() {
        return new ToolRegistered(TOOL, "Memory", "memory", "Remembers things", "1.0.0", CONFIG, ALICE,
                                  ToolStatus.DRAFT);
    }

    private static UpdateTool update(String name, String description, String version, JsonNode config) {
        return new UpdateTool(TOOL, name, description, version, config, null, null);
    }

    @Test
    void registeringRecordsADraftToolAuthoredByTheActingUser() {
        fixture.givenNoPriorActivity()
               .when(new RegisterTool(TOOL, "Memory", "memory", "Remembers things", "1.0.0", CONFIG), AS_ALICE)
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(1L)
               .expectEvents(registered());
    }

    @Test
    void anEmptyDescriptionIsRegisteredAsNone() {
        fixture.givenNoPriorActivity()
               .when(new RegisterTool(TOOL, "Memory", "memory", "", "1.0.0", CONFIG), AS_ALICE)
               .expectEvents(new ToolRegistered(TOOL, "Memory", "memory", null, "1.0.0", CONFIG, ALICE,
                                                ToolStatus.DRAFT));
    }

    @Test
    void registeringWithoutAnActingUserIsRefused() {
        fixture.givenNoPriorActivity()
               .when(new RegisterTool(TOOL, "Memory", "memory", null, "1.0.0", CONFIG))
               .expectException(IllegalStateException.class)
               .expectNoEvents();
    }

    @Test
    void registeringReportsEveryInvalidField() {
        ObjectNode broken = JSON.createObjectNode().put("mcpServers", "none");
        fixture.givenNoPriorActivity()
               .when(new RegisterTool(TOOL, "", "Bad Slug", "x".repeat(10_001), "1.0", broken), AS_ALICE)
               .expectException(ValidationException.class)
               .expectNoEvents()
               .expectExceptionMessage("Request validation failed: 5 field(s) invalid");
    }

    @Test
    void aConfigMustMatchTheSchema() {
        ObjectNode bothKinds = config("node", "server.js");
        ((ObjectNode) bothKinds.get("mcpServers").get("main")).put("url", "https://example.com/mcp");
        for (JsonNode invalid : List.of(JSON.createObjectNode(),
                                        JSON.createObjectNode().putObject("mcpServers"),
                                        config(""),
                                        bothKinds,
                                        JSON.createArrayNode(),
                                        remote("ftp://example.com/mcp"),
                                        remote("https://example.com/mcp").put("extra", true))) {
            fixture.givenNoPriorActivity()
                   .when(new RegisterTool(TOOL, "Memory", "memory", null, "1.0.0", invalid), AS_ALICE)
                   .expectException(ValidationException.class)
                   .expectNoEvents();
        }
    }

    @Test
    void remoteServersAndDeclaredToolsAreValidConfigs() {
        ObjectNode config = remote("https://mcp.example.com/mcp");
        ((ObjectNode) config.get("mcpServers").get("main")).put("transport", "streamable-http")
                                                           .putObject("headers").put("X-Team", "core");
        config.putArray("tools").addObject().put("name", "search").putObject("inputSchema").put("type", "object");
        config.putArray("prompts").addObject().put("name", "summarise");
        config.putArray("resources").addObject().put("uri", "file:///docs").put("name", "docs");
        fixture.givenNoPriorActivity()
               .when(new RegisterTool(TOOL, "Remote", "remote", null, "2.1.0", config), AS_ALICE)
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void aConfigOverTheSizeLimitIsRefused() {
        ObjectNode huge = config("node", "x".repeat(8_000));
        var args = (com.fasterxml.jackson.databind.node.ArrayNode) huge.get("mcpServers").get("main").get("args");
        for (int i = 0; i < 40; i++) {
            args.add("y".repeat(8_000));
        }
        fixture.givenNoPriorActivity()
               .when(new RegisterTool(TOOL, "Huge", "huge", null, "1.0.0", huge), AS_ALICE)
               .expectException(ValidationException.class)
               .expectNoEvents();
    }

    @Test
    void aSlugHeldByAnotherToolIsRefused() {
        claims.claim("memory", "another-tool");
        fixture.givenNoPriorActivity()
               .when(new RegisterTool(TOOL, "Memory", "memory", null, "1.0.0", CONFIG), AS_ALICE)
               .expectException(ConflictException.class)
               .expectExceptionMessage(org.hamcrest.Matchers.containsString("slug already exists"))
               .expectNoEvents();
    }

    @Test
    void anUpdateRecordsTheNewFieldsAndTheConfigOnlyWhenItChanged() {
        fixture.given(registered())
               .when(update("Memory 2", null, "1.1.0", null), AS_ALICE)
               .expectResultMessagePayload(2L)
               .expectEvents(new ToolUpdated(TOOL, "Memory 2", "Remembers things", "1.1.0", null));
        fixture.given(registered())
               .when(update(null, null, null, OTHER_CONFIG), AS_ALICE)
               .expectEvents(new ToolUpdated(TOOL, "Memory", "Remembers things", "1.0.0", OTHER_CONFIG));
    }

    @Test
    void anUpdateThatChangesNothingRecordsNothing() {
        ObjectNode reordered = JSON.createObjectNode();
        ObjectNode server = reordered.putObject("mcpServers").putObject("main");
        server.putArray("args").add("-y").add("@modelcontextprotocol/server-memory");
        server.put("command", "npx");
        fixture.given(registered())
               .when(update("Memory", "Remembers things", "1.0.0", reordered), AS_ALICE)
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(1L)
               .expectNoEvents();
    }

    @Test
    void anEmptyDescriptionClearsIt() {
        fixture.given(registered())
               .when(update(null, "", null, null), AS_ALICE)
               .expectEvents(new ToolUpdated(TOOL, "Memory", null, "1.0.0", null));
    }

    @Test
    void anInvalidUpdateIsRefused() {
        fixture.given(registered())
               .when(update(" ", null, "v2", JSON.createObjectNode()), AS_ALICE)
               .expectException(ValidationException.class)
               .expectNoEvents();
    }

    @Test
    void aStaleRevisionIsRefusedAndTheCurrentOneAccepted() {
        fixture.given(registered(), new ToolStatusChanged(TOOL, ToolStatus.DRAFT, ToolStatus.ACTIVE))
               .when(new UpdateTool(TOOL, "Renamed", null, null, null, null, 1L), AS_ALICE)
               .expectException(RevisionMismatchException.class)
               .expectNoEvents();
        fixture.given(registered(), new ToolStatusChanged(TOOL, ToolStatus.DRAFT, ToolStatus.ACTIVE))
               .when(new UpdateTool(TOOL, "Renamed", null, null, null, null, 2L), AS_ALICE)
               .expectResultMessagePayload(3L);
    }

    @Test
    void statusMovesFromDraftToActiveToDeprecatedAndBack() {
        fixture.given(registered())
               .when(new ChangeToolStatus(TOOL, ToolStatus.ACTIVE, null), AS_ALICE)
               .expectEvents(new ToolStatusChanged(TOOL, ToolStatus.DRAFT, ToolStatus.ACTIVE));
        fixture.given(registered(), new ToolStatusChanged(TOOL, ToolStatus.DRAFT, ToolStatus.ACTIVE))
               .when(new ChangeToolStatus(TOOL, ToolStatus.DEPRECATED, null), AS_ALICE)
               .expectEvents(new ToolStatusChanged(TOOL, ToolStatus.ACTIVE, ToolStatus.DEPRECATED));
        fixture.given(registered(), new ToolStatusChanged(TOOL, ToolStatus.DRAFT, ToolStatus.ACTIVE),
                      new ToolStatusChanged(TOOL, ToolStatus.ACTIVE, ToolStatus.DEPRECATED))
               .when(new ChangeToolStatus(TOOL, ToolStatus.ACTIVE, null), AS_ALICE)
               .expectEvents(new ToolStatusChanged(TOOL, ToolStatus.DEPRECATED, ToolStatus.ACTIVE));
    }

    @Test
    void skippingOrReversingALifecycleStepIsAConflict() {
        fixture.given(registered())
               .when(new ChangeToolStatus(TOOL, ToolStatus.DEPRECATED, null), AS_ALICE)
               .expectException(ConflictException.class)
               .expectNoEvents();
        fixture.given(registered(), new ToolStatusChanged(TOOL, ToolStatus.DRAFT, ToolStatus.ACTIVE))
               .when(new ChangeToolStatus(TOOL, ToolStatus.DRAFT, null), AS_ALICE)
               .expectException(ConflictException.class)
               .expectNoEvents();
    }

    @Test
    void theSameStatusAgainChangesNothing() {
        fixture.given(registered())
               .when(new ChangeToolStatus(TOOL, ToolStatus.DRAFT, null), AS_ALICE)
               .expectResultMessagePayload(1L)
               .expectNoEvents();
    }

    @Test
    void anUpdateWithAForbiddenStatusChangesNothingAtAll() {
        fixture.given(registered())
               .when(new UpdateTool(TOOL, "Renamed", null, null, null, ToolStatus.DEPRECATED, null), AS_ALICE)
               .expectException(ConflictException.class)
               .expectNoEvents();
    }

    @Test
    void anUpdateWithAStatusRecordsBothChangesInOrder() {
        fixture.given(registered())
               .when(new UpdateTool(TOOL, "Renamed", null, null, null, ToolStatus.ACTIVE, null), AS_ALICE)
               .expectResultMessagePayload(3L)
               .expectEvents(new ToolUpdated(TOOL, "Renamed", "Remembers things", "1.0.0", null),
                             new ToolStatusChanged(TOOL, ToolStatus.DRAFT, ToolStatus.ACTIVE));
    }

    @Test
    void deletingIsRecordedAndThenEveryCommandIsRefused() {
        fixture.given(registered())
               .when(new DeleteTool(TOOL, null), AS_ALICE)
               .expectEvents(new ToolDeleted(TOOL));
        for (Object command : List.of(new DeleteTool(TOOL, null), update("x", null, null, null),
                                      new ChangeToolStatus(TOOL, ToolStatus.ACTIVE, null),
                                      new RevertToolConfig(TOOL, 1, null))) {
            fixture.given(registered(), new ToolDeleted(TOOL))
                   .when(command, AS_ALICE)
                   .expectException(NotFoundException.class)
                   .expectNoEvents();
        }
    }

    @Test
    void revertingRestoresTheConfigOfTheNamedRevision() {
        fixture.given(registered(), new ToolUpdated(TOOL, "Memory", null, "1.1.0", OTHER_CONFIG))
               .when(new RevertToolConfig(TOOL, 1, null), AS_ALICE)
               .expectResultMessagePayload(3L)
               .expectEvents(new ToolConfigReverted(TOOL, 1, CONFIG));
    }

    @Test
    void revertingToTheConfigTheToolHasChangesNothing() {
        fixture.given(registered(), new ToolUpdated(TOOL, "Renamed", null, "1.1.0", null))
               .when(new RevertToolConfig(TOOL, 1, null), AS_ALICE)
               .expectResultMessagePayload(2L)
               .expectNoEvents();
    }

    @Test
    void revertingToARevisionTheToolNeverHadIsRefused() {
        for (long revision : new long[]{0, 3, -1}) {
            fixture.given(registered(), new ToolUpdated(TOOL, "Memory", null, "1.1.0", OTHER_CONFIG))
                   .when(new RevertToolConfig(TOOL, revision, null), AS_ALICE)
                   .expectException(ValidationException.class)
                   .expectNoEvents();
        }
    }

    private static List<Object> everyChange() {
        return List.of(update("Renamed", null, null, null), new ChangeToolStatus(TOOL, ToolStatus.ACTIVE, null),
                       new RevertToolConfig(TOOL, 1, null), new DeleteTool(TOOL, null));
    }

    @Test
    void aDeveloperMayNotChangeAToolSomeoneElseAuthored() {
        for (Object command : everyChange()) {
            fixture.given(registered(), new ToolUpdated(TOOL, "Memory", null, "1.1.0", OTHER_CONFIG))
                   .when(command, AS_BOB)
                   .expectException(ForbiddenException.class)
                   .expectNoEvents();
        }
    }

    @Test
    void anAdminMayChangeAToolSomeoneElseAuthored() {
        for (Object command : everyChange()) {
            fixture.given(registered(), new ToolUpdated(TOOL, "Memory", null, "1.1.0", OTHER_CONFIG))
                   .when(command, AS_CAROL)
                   .expectSuccessfulHandlerExecution()
                   .expectResultMessagePayload(3L);
        }
    }

    @Test
    void aChangeWithoutAnActingUserIsRefused() {
        for (Object command : everyChange()) {
            fixture.given(registered())
                   .when(command)
                   .expectException(ForbiddenException.class)
                   .expectNoEvents();
        }
    }

    @Test
    void aUserWhoMayNotChangeAToolIsRefusedBeforeTheRevisionIsCompared() {
        fixture.given(registered())
               .when(new DeleteTool(TOOL, 7L), AS_BOB)
               .expectException(ForbiddenException.class);
    }

    @Test
    void aDeletedToolIsNotFoundForEveryone() {
        fixture.given(registered(), new ToolDeleted(TOOL))
               .when(update("Renamed", null, null, null), AS_BOB)
               .expectException(NotFoundException.class);
    }

    @Test
    void theConfigDigestIgnoresMemberOrderButNotValues() {
        ObjectNode a = JSON.createObjectNode().put("x", 1).put("y", "2");
        ObjectNode b = JSON.createObjectNode().put("y", "2").put("x", 1);
        ObjectNode c = JSON.createObjectNode().put("y", "2").put("x", 2);
        assertThat(CanonicalJson.digest(a)).isEqualTo(CanonicalJson.digest(b)).isNotEqualTo(CanonicalJson.digest(c));
    }

    private static ObjectNode remote(String url) {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("mcpServers").putObject("main").put("url", url);
        return config;
    }
}
