package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpplatform.deployment.StdioUpstreamTest.text;
import static org.mcpplatform.deployment.StdioUpstreamTest.toolCall;

/**
 * The remote path against a real server: server-everything behind supergateway 4.0.0, once as stateful Streamable
 * HTTP and once as HTTP+SSE, on loopback ports (allowed here by configuration, as mcp.deployments.allowed-outbound
 * would).
 */
class RemoteUpstreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Process streamable;
    private static Process sse;
    private static int streamablePort;
    private static int ssePort;
    private static DefaultUpstreamLauncher launcher;

    @BeforeAll
    static void startServers() throws Exception {
        streamablePort = TestServers.freePort();
        ssePort = TestServers.freePort();
        streamable = supergateway("streamableHttp", streamablePort, "--stateful");
        sse = supergateway("sse", ssePort);
        awaitListening(streamablePort);
        awaitListening(ssePort);
        launcher = new DefaultUpstreamLauncher(OutboundAddresses.fromProperty("127.0.0.0/8"));
    }

    private static Process supergateway(String transport, int port, String... extra) throws IOException {
        var argv = new java.util.ArrayList<>(List.of("node", TestServers.supergatewayScript(),
                "--stdio", "node " + TestServers.everythingScript() + " stdio",
                "--outputTransport", transport, "--port", Integer.toString(port), "--logLevel", "none"));
        argv.addAll(List.of(extra));
        return new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(new File("target/supergateway-" + transport + ".log")).start();
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("supergateway did not listen on " + port);
    }

    @AfterAll
    static void stopServers() {
        for (Process process : List.of(streamable, sse)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        launcher.close();
    }

    private static UpstreamSpec remote(UpstreamKind kind, String url) {
        return new UpstreamSpec("d-" + kind, "t", "remote-" + kind.value(), kind, null, List.of(), Map.of(), null,
                url, Map.of("X-Api-Key", "secret-header-value"));
    }

    @Test
    void streamable_http_server_multiplexes_clients_and_progress() throws Exception {
        RunningUpstream upstream = launcher.launch(remote(UpstreamKind.STREAMABLE_HTTP,
                "http://127.0.0.1:" + streamablePort + "/mcp"), TIMEOUT).get(40, TimeUnit.SECONDS);
        try {
            assertThat(upstream.initializeResult().serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(upstream.pid()).isNull();
            assertThat(upstream.stderr()).isEmpty();
            assertThat(upstream.ping(TIMEOUT).get(20, TimeUnit.SECONDS)).isNotNegative();

            var alice = new RecordingClient("alice");
            var bob = new RecordingClient("bob");
            var aliceEcho = upstream.request(toolCall(1, "echo", Map.of("message", "alice"), null), alice, TIMEOUT);
            var bobEcho = upstream.request(toolCall(1, "echo", Map.of("message", "bob"), null), bob, TIMEOUT);
            assertThat(text(aliceEcho.get(20, TimeUnit.SECONDS))).isEqualTo("Echo: alice");
            assertThat(text(bobEcho.get(20, TimeUnit.SECONDS))).isEqualTo("Echo: bob");

            var progress = upstream.request(toolCall(2, "trigger-long-running-operation",
                    Map.of("duration", 1, "steps", 2), "mine"), alice, TIMEOUT).get(20, TimeUnit.SECONDS);
            assertThat(text(progress)).contains("completed");
            var notes = alice.receivedNotifications(McpSchema.METHOD_NOTIFICATION_PROGRESS);
            assertThat(notes).hasSize(2).allSatisfy(received -> {
                assertThat(received.relatedRequestId()).isEqualTo(2);
                assertThat(((Map<?, ?>) ((McpSchema.JSONRPCNotification) received.message()).params())
                        .get("progressToken")).isEqualTo("mine");
            });
            assertThat(bob.notifications(McpSchema.METHOD_NOTIFICATION_PROGRESS)).isEmpty();

            assertThat(upstream.listTools(TIMEOUT).get(20, TimeUnit.SECONDS))
                    .extracting(McpSchema.Tool::name).contains("echo");
        } finally {
            upstream.stop(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sse_server_answers() throws Exception {
        RunningUpstream upstream = launcher.launch(remote(UpstreamKind.SSE, "http://127.0.0.1:" + ssePort + "/sse"),
                TIMEOUT).get(40, TimeUnit.SECONDS);
        try {
            assertThat(upstream.initializeResult().serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(text(upstream.request(toolCall("a", "echo", Map.of("message", "over sse"), null),
                    new RecordingClient("c"), TIMEOUT).get(20, TimeUnit.SECONDS))).isEqualTo("Echo: over sse");
        } finally {
            upstream.stop(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_loopback_url_is_refused_unless_configuration_allows_it() {
        var strict = new DefaultUpstreamLauncher(OutboundAddresses.publicOnly());
        try {
            assertThatThrownBy(() -> strict.launch(remote(UpstreamKind.STREAMABLE_HTTP,
                    "http://127.0.0.1:" + streamablePort + "/mcp"), TIMEOUT).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UpstreamLaunchException.class)
                    .hasMessageContaining("not public")
                    .hasRootCauseInstanceOf(OutboundAddresses.ForbiddenOutboundAddressException.class);
        } finally {
            strict.close();
        }
    }

    @Test
    void a_redirect_is_not_followed_and_the_specs_headers_are_sent() throws Exception {
        var target = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        var redirecting = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        var targetHits = new java.util.concurrent.atomic.AtomicInteger();
        var seenApiKey = new java.util.concurrent.atomic.AtomicReference<String>();
        target.createContext("/", exchange -> {
            targetHits.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        redirecting.createContext("/", exchange -> {
            seenApiKey.set(exchange.getRequestHeaders().getFirst("X-Api-Key"));
            exchange.getResponseHeaders().add("Location",
                    "http://127.0.0.1:" + target.getAddress().getPort() + "/mcp");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        target.start();
        redirecting.start();
        try {
            assertThatThrownBy(() -> launcher.launch(remote(UpstreamKind.STREAMABLE_HTTP,
                    "http://127.0.0.1:" + redirecting.getAddress().getPort() + "/mcp"), Duration.ofSeconds(5))
                    .get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(UpstreamLaunchException.class);
            assertThat(seenApiKey.get()).isEqualTo("secret-header-value");
            assertThat(targetHits.get()).isZero();
        } finally {
            redirecting.stop(0);
            target.stop(0);
        }
    }
}
