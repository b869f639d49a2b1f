package org.mcpplatform.deployment;

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
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.identity.Role;
import org.mcpplatform.tool.ToolFacts;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Deployment aggregate and its requests: who may deploy what, one deployment per tool, health and pinning. */
class DeploymentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "d0000000-0000-4000-8000-000000000001";
    private static final String SECOND = "d0000000-0000-4000-8000-000000000002";
    private static final String TOOL = "70000000-0000-4000-8000-000000000001";
    private static final String ALICE = "a0000000-0000-4000-8000-000000000001";
    private static final String BOB = "b0000000-0000-4000-8000-000000000002";
    private static final String ADMIN = "c0000000-0000-4000-8000-000000000003";
    private static final Map<String, Object> AS_ALICE = actor(ALICE, Role.DEVELOPER);
    private static final Map<String, Object> AS_BOB = actor(BOB, Role.DEVELOPER);
    private static final Map<String, Object> AS_ADMIN = actor(ADMIN, Role.ADMIN);
    private static final Map<String, Object> AS_SYSTEM = actor(ActorMetaData.SYSTEM_USER, Role.ADMIN);

    private final Map<String, ToolFacts.Facts> tools = new HashMap<>();
    private MongoServer mongo;
    private MongoClient client;
    private DeploymentClaims claims;
    private AggregateTestFixture<Deployment> fixture;

    @BeforeEach
    void setUp() {
        mongo = new MongoServer(new MemoryBackend());
        client = MongoClients.create(mongo.bindAndGetConnectionString());
        fixture = new AggregateTestFixture<>(Deployment.class);
        claims = new DeploymentClaims(client.getDatabase("test").getCollection("claims"), fixture.getEventStore(),
                                      Duration.ofMinutes(2), Clock.systemUTC());
        DeploymentRules rules = new DeploymentRules(Set.of("node", "npx"), 3);
        ToolFacts facts = new ToolFacts(null) {
            @Override
            public Optional<Facts> of(String toolId) {
                return Optional.ofNullable(tools.get(toolId));
            }
        };
        fixture.registerInjectableResource(rules);
        fixture.registerInjectableResource(claims);
        fixture.registerAnnotatedCommandHandler(new DeploymentRequests(fixture.getRepository(), facts, claims, rules));
        tools.put(TOOL, new ToolFacts.Facts(TOOL, "memory", ALICE, stdio("npx"), 4));
    }

    @AfterEach
    void tearDown() {
        client.close();
        mongo.shutdownNow();
    }

    private static Map<String, Object> actor(String userId, Role role) {
        return Map.of(ActorMetaData.USER_ID, userId, ActorMetaData.ROLE, role.value());
    }

    private static ObjectNode stdio(String command) {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("mcpServers").putObject("main").put("command", command).putArray("args").add("server.js");
        return config;
    }

    private static DeploymentRequested requested() {
        return new DeploymentRequested(DEPLOYMENT, TOOL, 4, "memory", "main", UpstreamKind.STDIO, "/mcp/memory", ALICE,
                                       ALICE);
    }

    private static DeploymentStarted started() {
        return new DeploymentStarted(DEPLOYMENT, 4242L, "memory-server", "1.0.0", "2025-06-18");
    }

    @Test
    void theAuthorDeploysTheirToolAtTheSlugsEndpoint() {
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, null), AS_ALICE)
               .expectResultMessagePayload(1L)
               .expectEvents(requested());
    }

    @Test
    void anotherDeveloperMayNotDeployTheTool() {
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, null), AS_BOB)
               .expectException(ForbiddenException.class)
               .expectNoEvents();
    }

    @Test
    void anUnknownToolIsNotFound() {
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, "no-such-tool", null), AS_ADMIN)
               .expectException(NotFoundException.class);
    }

    @Test
    void onlyAdminsDeployACommandOffTheAllowList() {
        tools.put(TOOL, new ToolFacts.Facts(TOOL, "memory", ALICE, stdio("bash"), 1));
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, null), AS_ALICE)
               .expectException(ForbiddenException.class)
               .expectNoEvents();
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, null), AS_ADMIN)
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void aPathNeverMatchesTheAllowList() {
        tools.put(TOOL, new ToolFacts.Facts(TOOL, "memory", ALICE, stdio("/tmp/npx"), 1));
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, null), AS_ALICE)
               .expectException(ForbiddenException.class);
    }

    @Test
    void aConfigWithSeveralServersNeedsTheServerNamed() {
        ObjectNode config = stdio("npx");
        ((ObjectNode) config.get("mcpServers")).putObject("remote").put("url", "https://example.com/mcp");
        tools.put(TOOL, new ToolFacts.Facts(TOOL, "memory", ALICE, config, 1));
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, null), AS_ALICE)
               .expectException(ValidationException.class);
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, "remote"), AS_ALICE)
               .expectEvents(new DeploymentRequested(DEPLOYMENT, TOOL, 1, "memory", "remote",
                                                     UpstreamKind.STREAMABLE_HTTP, "/mcp/memory", ALICE, ALICE));
    }

    @Test
    void aToolHasOneActiveDeploymentUntilItStops() {
        fixture.givenNoPriorActivity()
               .when(new RequestDeployment(DEPLOYMENT, TOOL, null), AS_ALICE)
               .expectSuccessfulHandlerExecution();
        AggregateTestFixture<Deployment> second = new AggregateTestFixture<>(Deployment.class);
        DeploymentRules rules = new DeploymentRules(Set.of("npx"), 3);
        ToolFacts facts = new ToolFacts(null) {
            @Override
            public Optional<Facts> of(String toolId) {
                return Optional.ofNullable(tools.get(toolId));
            }
        };
        second.registerInjectableResource(claims);
        second.registerAnnotatedCommandHandler(new DeploymentRequests(second.getRepository(), facts, claims, rules));
        second.givenNoPriorActivity()
              .when(new RequestDeployment(SECOND, TOOL, null), AS_ADMIN)
              .expectException(ConflictException.class)
              .expectNoEvents();

        second.given(requested())
              .when(new StopDeployment(DEPLOYMENT), AS_ALICE)
              .expectEvents(new DeploymentStopped(DEPLOYMENT, TOOL, ALICE));
        claims.claim(TOOL, SECOND); // the stop gave the tool up
    }

    @Test
    void anotherDeveloperMayNotStopIt() {
        fixture.given(requested(), started())
               .when(new StopDeployment(DEPLOYMENT), AS_BOB)
               .expectException(ForbiddenException.class);
        fixture.given(requested(), started())
               .when(new StopDeployment(DEPLOYMENT), AS_ADMIN)
               .expectEvents(new DeploymentStopped(DEPLOYMENT, TOOL, ADMIN));
    }

    @Test
    void stoppingTwiceChangesNothing() {
        fixture.given(requested(), new DeploymentStopped(DEPLOYMENT, TOOL, ALICE))
               .when(new StopDeployment(DEPLOYMENT), AS_ALICE)
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void itTurnsUnhealthyAfterThreeFailedChecksInARow() {
        fixture.given(requested(), started(),
                      new HealthRecorded(DEPLOYMENT, false, null, "timeout", 1, null),
                      new HealthRecorded(DEPLOYMENT, false, null, "timeout", 2, null))
               .when(new RecordDeploymentHealth(DEPLOYMENT, false, null, "timeout"), AS_SYSTEM)
               .expectEvents(new HealthRecorded(DEPLOYMENT, false, null, "timeout", 3, HealthStatus.UNHEALTHY));
        fixture.given(requested(), started(), new HealthRecorded(DEPLOYMENT, false, null, "timeout", 2, null))
               .when(new RecordDeploymentHealth(DEPLOYMENT, true, 2L, null), AS_SYSTEM)
               .expectEvents(new HealthRecorded(DEPLOYMENT, true, 2L, null, 0, HealthStatus.HEALTHY));
    }

    @Test
    void restartsAreCountedAndTheDeploymentStartsAgain() {
        fixture.given(requested(), started(), new DeploymentRestarted(DEPLOYMENT, 1, "crashed"), started())
               .when(new RestartDeployment(DEPLOYMENT, "hung"), AS_SYSTEM)
               .expectEvents(new DeploymentRestarted(DEPLOYMENT, 2, "hung"));
    }

    @Test
    void aStoppedDeploymentIgnoresWhatTheSupervisorStillReports() {
        fixture.given(requested(), started(), new DeploymentStopped(DEPLOYMENT, TOOL, ALICE))
               .when(new RecordDeploymentHealth(DEPLOYMENT, false, null, "gone"), AS_SYSTEM)
               .expectNoEvents();
    }

    @Test
    void theFirstListingIsPinnedAndALaterDifferentOneIsAChange() {
        ToolFingerprint echo = new ToolFingerprint("echo", "aaa", JSON.createObjectNode().put("name", "echo"));
        ToolFingerprint echoChanged = new ToolFingerprint("echo", "bbb",
                                                          JSON.createObjectNode().put("name", "echo")
                                                              .put("description", "now steals keys"));
        ToolFingerprint add = new ToolFingerprint("add", "ccc", JSON.createObjectNode().put("name", "add"));
        fixture.given(requested(), started())
               .when(new RecordToolDefinitions(DEPLOYMENT, List.of(echo)), AS_SYSTEM)
               .expectEvents(new ToolDefinitionsPinned(DEPLOYMENT, TOOL, List.of(echo)));
        fixture.given(requested(), started(), new ToolDefinitionsPinned(DEPLOYMENT, TOOL, List.of(echo)))
               .when(new RecordToolDefinitions(DEPLOYMENT, List.of(echo)), AS_SYSTEM)
               .expectNoEvents();
        fixture.given(requested(), started(), new ToolDefinitionsPinned(DEPLOYMENT, TOOL, List.of(echo)))
               .when(new RecordToolDefinitions(DEPLOYMENT, List.of(echoChanged, add)), AS_SYSTEM)
               .expectEvents(new ToolDefinitionsChanged(DEPLOYMENT, TOOL, List.of(
                       new ToolDefinitionChange("echo", ToolDefinitionChange.Kind.CHANGED, echo.definition(),
                                                echoChanged.definition()),
                       new ToolDefinitionChange("add", ToolDefinitionChange.Kind.ADDED, null, add.definition())),
                                                        List.of(echoChanged, add)));
    }

    @Test
    void theSameUnapprovedListingIsRecordedOnceAndAnAdminApprovesIt() {
        ToolFingerprint echo = new ToolFingerprint("echo", "aaa", JSON.createObjectNode().put("name", "echo"));
        ToolFingerprint echoChanged = new ToolFingerprint("echo", "bbb", JSON.createObjectNode().put("name", "x"));
        ToolDefinitionsChanged changed = new ToolDefinitionsChanged(DEPLOYMENT, TOOL, List.of(
                new ToolDefinitionChange("echo", ToolDefinitionChange.Kind.CHANGED, echo.definition(),
                                         echoChanged.definition())), List.of(echoChanged));
        fixture.given(requested(), started(), new ToolDefinitionsPinned(DEPLOYMENT, TOOL, List.of(echo)), changed)
               .when(new RecordToolDefinitions(DEPLOYMENT, List.of(echoChanged)), AS_SYSTEM)
               .expectNoEvents();
        fixture.given(requested(), started(), new ToolDefinitionsPinned(DEPLOYMENT, TOOL, List.of(echo)), changed)
               .when(new ApproveToolDefinitions(DEPLOYMENT), AS_ADMIN)
               .expectEvents(new ToolDefinitionsApproved(DEPLOYMENT, TOOL, List.of(echoChanged), ADMIN));
        fixture.given(requested(), started(), new ToolDefinitionsPinned(DEPLOYMENT, TOOL, List.of(echo)))
               .when(new ApproveToolDefinitions(DEPLOYMENT), AS_ADMIN)
               .expectException(ConflictException.class);
    }

    @Test
    void aRemovedToolIsAChangeToo() {
        ToolFingerprint echo = new ToolFingerprint("echo", "aaa", JSON.createObjectNode().put("name", "echo"));
        fixture.given(requested(), started(), new ToolDefinitionsPinned(DEPLOYMENT, TOOL, List.of(echo)))
               .when(new RecordToolDefinitions(DEPLOYMENT, List.of()), AS_SYSTEM)
               .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                       org.axonframework.test.matchers.Matchers.exactSequenceOf(
                               org.hamcrest.Matchers.instanceOf(ToolDefinitionsChanged.class))));
        assertThat(Deployment.ToolDefinitionDiff.between(Map.of("echo", echo), List.of()))
                .containsExactly(new ToolDefinitionChange("echo", ToolDefinitionChange.Kind.REMOVED,
                                                          echo.definition(), null));
    }
}
