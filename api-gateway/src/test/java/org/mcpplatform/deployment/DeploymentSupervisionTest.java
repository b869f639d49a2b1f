package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.spec.McpSchema;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.support.Api;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.stdioConfig;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * Deployments of the real server-everything over stdio, supervised: started, pinned, restarted when killed or hung,
 * stopped for good. Health checks run every second here; the context is the one of the other supervised tests.
 */
@SupervisedPlatformTest
class DeploymentSupervisionTest {

    private static final MetaData SYSTEM = MetaData.from(Map.of(ActorMetaData.USER_ID, ActorMetaData.SYSTEM_USER,
                                                                ActorMetaData.ROLE, "admin"));
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore eventStore;
    @Autowired
    McpServerSupervisor supervisor;
    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    private record Deployed(String deploymentId, String slug) {
    }

    private Deployed deploy() {
        String slug = uniqueSlug("everything");
        Api.Response created = api.post("/api/v1/mcps", registration("Everything " + slug, slug, "1.0.0",
                stdioConfig("node", McpTestServers.everything(), "stdio")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String toolId = created.json().get("id").asText();
        String deploymentId = UUID.randomUUID().toString();
        commands.sendAndWait(new RequestDeployment(deploymentId, toolId, null), SYSTEM);
        return new Deployed(deploymentId, slug);
    }

    private List<Object> events(String deploymentId) {
        return eventStore.readEvents(deploymentId).asStream().map(DomainEventMessage::getPayload)
                         .map(Object.class::cast).toList();
    }

    private <T> List<T> events(String deploymentId, Class<T> type) {
        return events(deploymentId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(100);
        }
        throw new AssertionError("Not within " + PATIENCE + ": " + what);
    }

    /** The pid of the deployment's running server once the nth DeploymentStarted is there. */
    private long awaitStarted(String deploymentId, int nth) {
        return await("deployment started " + nth + " time(s)", () -> {
            List<DeploymentStarted> started = events(deploymentId, DeploymentStarted.class);
            return started.size() >= nth ? Optional.of(started.get(nth - 1).pid()) : Optional.empty();
        });
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private String echo(String slug, String message) {
        Upstream upstream = supervisor.bySlug(slug).orElseThrow(() -> new AssertionError("nothing serves " + slug));
        McpSchema.JSONRPCResponse response = upstream.request(
                new McpSchema.JSONRPCRequest("2.0", McpSchema.METHOD_TOOLS_CALL, 7,
                                             Map.of("name", "echo", "arguments", Map.of("message", message))),
                new SilentClient(), Duration.ofSeconds(10)).join();
        assertThat(response.error()).as("error of tools/call echo").isNull();
        assertThat(response.id()).isEqualTo(7);
        JsonNode result = Api.JSON.valueToTree(response.result());
        return result.path("content").path(0).path("text").asText();
    }

    @Test
    void aDeployedServerRunsWithItsPidAndItsToolsArePinned() {
        Deployed deployed = deploy();

        long pid = awaitStarted(deployed.deploymentId(), 1);

        assertThat(alive(pid)).isTrue();
        assertThat(supervisor.running(deployed.deploymentId()).orElseThrow().pid()).isEqualTo(pid);
        DeploymentStarted started = events(deployed.deploymentId(), DeploymentStarted.class).get(0);
        assertThat(started.serverName()).isEqualTo("mcp-servers/everything");
        assertThat(started.protocolVersion()).isNotBlank();
        assertThat(echo(deployed.slug(), "hi")).isEqualTo("Echo: hi");
        ToolDefinitionsPinned pinned = await("tools pinned", () -> events(deployed.deploymentId(),
                ToolDefinitionsPinned.class).stream().findFirst());
        assertThat(pinned.tools()).extracting(ToolFingerprint::name).contains("echo", "get-sum");
        assertThat(pinned.tools()).allSatisfy(tool -> assertThat(tool.fingerprint()).hasSize(64));
        await("a healthy check", () -> events(deployed.deploymentId(), HealthRecorded.class).stream()
                                                                         .filter(HealthRecorded::healthy).findFirst());
    }

    @Test
    void aKilledServerIsStartedAgainAndAnswersAgain() throws Exception {
        Deployed deployed = deploy();
        long first = awaitStarted(deployed.deploymentId(), 1);

        signal("KILL", first);

        long second = awaitStarted(deployed.deploymentId(), 2);
        assertThat(second).isNotEqualTo(first);
        assertThat(alive(first)).isFalse();
        assertThat(alive(second)).isTrue();
        List<DeploymentRestarted> restarts = events(deployed.deploymentId(), DeploymentRestarted.class);
        assertThat(restarts).extracting(DeploymentRestarted::restarts).containsExactly(1);
        assertThat(events(deployed.deploymentId(), HealthRecorded.class))
                .anySatisfy(health -> assertThat(health.error()).startsWith("The server stopped"));
        assertThat(echo(deployed.slug(), "again")).isEqualTo("Echo: again");
    }

    @Test
    void aHungServerFailsThreeChecksAndIsReplaced() throws Exception {
        Deployed deployed = deploy();
        long first = awaitStarted(deployed.deploymentId(), 1);

        signal("STOP", first);
        try {
            long second = awaitStarted(deployed.deploymentId(), 2);

            assertThat(second).isNotEqualTo(first);
            List<HealthRecorded> checks = events(deployed.deploymentId(), HealthRecorded.class);
            assertThat(checks).anySatisfy(check -> {
                assertThat(check.consecutiveFailures()).isEqualTo(3);
                assertThat(check.healthStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            });
            assertThat(events(deployed.deploymentId(), DeploymentRestarted.class)).hasSize(1);
            await("the hung process is gone", () -> alive(first) ? Optional.empty() : Optional.of(true));
            assertThat(echo(deployed.slug(), "back")).isEqualTo("Echo: back");
        } finally {
            if (alive(first)) {
                signal("KILL", first);
            }
        }
    }

    @Test
    void aStoppedDeploymentsServerIsGone() {
        Deployed deployed = deploy();
        long pid = awaitStarted(deployed.deploymentId(), 1);

        commands.sendAndWait(new StopDeployment(deployed.deploymentId()), SYSTEM);

        await("the process is gone", () -> alive(pid) ? Optional.empty() : Optional.of(true));
        assertThat(events(deployed.deploymentId(), DeploymentStopped.class)).hasSize(1);
        assertThat(supervisor.running(deployed.deploymentId())).isEmpty();
        assertThat(supervisor.bySlug(deployed.slug())).isEmpty();
        assertThat(supervisor.alive(deployed.deploymentId())).isFalse();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A gateway session that takes whatever the server sends and declares no capabilities. */
    private static final class SilentClient implements UpstreamClient {

        @Override
        public String sessionId() {
            return "test-session";
        }

        @Override
        public void send(McpSchema.JSONRPCMessage message, Object relatedRequestId) {
        }

        @Override
        public boolean declares(String capability) {
            return false;
        }
    }

}
