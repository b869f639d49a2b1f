package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mcpplatform.deployment.EndToEnd.alive;
import static org.mcpplatform.deployment.EndToEnd.call;
import static org.mcpplatform.deployment.EndToEnd.javaServerConfig;
import static org.mcpplatform.deployment.EndToEnd.text;
import static org.mcpplatform.deployment.EndToEnd.awaitDeployment;
import static org.mcpplatform.deployment.EndToEnd.awaitGone;
import static org.mcpplatform.deployment.EndToEnd.awaitRunning;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.echo;
import static org.mcpplatform.deployment.EndToEnd.everythingConfig;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.deployment.EndToEnd.signal;
import static org.mcpplatform.deployment.EndToEnd.withToken;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * A deployed server that hangs (SIGSTOP), seen from a client of the gateway: calls time out after the gateway's
 * request timeout (2 s here) instead of waiting forever, the supervisor replaces the server after three failed health
 * checks, and calls succeed again. Stopping the deployment then leaves no process behind.
 */
@SupervisedPlatformTest
class HungServerGatewayTest {

    private static final Duration ANSWER_WITHIN = Duration.ofMillis(3_500);

    @LocalServerPort
    int port;

    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        pids.stream().filter(EndToEnd::alive).forEach(pid -> signal("KILL", pid));
    }

    @Test
    void aHungServerTimesOutThroughTheGatewayIsReplacedAndIsGoneAfterStop() {
        Accounts.Account developer = Accounts.create(port, "developer");
        Api api = developer.api();
        String slug = uniqueSlug("hang");
        String toolId = register(api, slug, everythingConfig(Map.of()));
        String deploymentId = deploy(api, toolId);
        JsonNode running = awaitRunning(api, deploymentId);
        long first = running.get("pid").asLong();
        pids.add(first);
        String endpoint = running.get("endpoint_url").asText();

        long second;
        try (McpSyncClient client = withToken(endpoint, developer.accessToken())) {
            client.initialize();
            assertThat(echo(client, "before")).isEqualTo("Echo: before");

            signal("STOP", first);
            // both faces at once, before the supervisor takes the hung server out of service
            CompletableFuture<Timed<Throwable>> mcp = CompletableFuture.supplyAsync(
                    () -> timed(() -> catchThrowable(() -> echo(client, "hung?"))));
            CompletableFuture<Timed<Api.Response>> rest = CompletableFuture.supplyAsync(
                    () -> timed(() -> api.post("/mcp/" + slug + "/v1/tools/echo/call",
                                               Map.of("arguments", Map.of("message", "hung?")))));

            Timed<Throwable> mcpAnswer = mcp.join();
            assertThat(mcpAnswer.value()).as("a JSON-RPC error").isInstanceOf(McpError.class);
            assertThat(mcpAnswer.value().getMessage()).containsIgnoringCase("timed out");
            assertThat(mcpAnswer.took()).isLessThan(ANSWER_WITHIN);
            Timed<Api.Response> restAnswer = rest.join();
            assertThat(restAnswer.value().status()).as(restAnswer.value().text()).isEqualTo(504);
            assertThat(restAnswer.value().json().at("/error/code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
            assertThat(restAnswer.took()).isLessThan(ANSWER_WITHIN);

            JsonNode replaced = awaitDeployment(api, deploymentId, "a new process after three failed checks",
                    d -> "running".equals(d.path("status").asText()) && d.path("pid").isNumber()
                            && d.get("pid").asLong() != first && "healthy".equals(d.path("health_status").asText()));
            second = replaced.get("pid").asLong();
            pids.add(second);
            assertThat(replaced.get("restarts").asInt()).isEqualTo(1);
            awaitGone(first);
            // the session opened before the restart goes on with the new server
            assertThat(echo(client, "after")).isEqualTo("Echo: after");
        }
        try (McpSyncClient fresh = withToken(endpoint, developer.accessToken())) {
            fresh.initialize();
            assertThat(echo(fresh, "fresh")).isEqualTo("Echo: fresh");
        }

        Set<ProcessHandle> family = new HashSet<>();
        ProcessHandle.of(second).ifPresent(process -> process.descendants().forEach(family::add));
        Api.Response stopped = api.delete("/api/v1/deployments/" + deploymentId);
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
        awaitGone(second);
        assertThat(alive(first)).isFalse();
        assertThat(family).as("the server's children").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void stoppingADeploymentEndsTheChildrenOfItsServerToo() {
        Api admin = new Api(port);
        // the Java test server started with --spawn-child runs a `sleep 600` of its own
        String toolId = register(admin, uniqueSlug("family"), javaServerConfig("--spawn-child"));
        String deploymentId = deploy(admin, toolId);
        JsonNode running = awaitRunning(admin, deploymentId);
        long server = running.get("pid").asLong();
        pids.add(server);
        long child;
        try (McpSyncClient client = withToken(running.get("endpoint_url").asText(), admin.adminToken())) {
            client.initialize();
            child = Long.parseLong(text(call(client, "child-pid", Map.of())));
        }
        pids.add(child);
        assertThat(ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)).contains(server);

        Api.Response stopped = admin.delete("/api/v1/deployments/" + deploymentId);

        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
        awaitGone(server);
        awaitGone(child);
    }

    private record Timed<T>(T value, Duration took) {
    }

    private static <T> Timed<T> timed(java.util.function.Supplier<T> action) {
        long start = System.nanoTime();
        T value = action.get();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }
}
