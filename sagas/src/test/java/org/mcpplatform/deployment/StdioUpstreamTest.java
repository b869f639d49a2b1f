package org.mcpplatform.deployment;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The upstream side against real servers over stdio: server-everything (npm) and the Java SDK test server. */
class StdioUpstreamTest {

    private static final Duration LAUNCH = Duration.ofSeconds(30);
    private static final Duration CALL = Duration.ofSeconds(20);

    private static DefaultUpstreamLauncher launcher;

    @BeforeAll
    static void startLauncher() {
        launcher = new DefaultUpstreamLauncher(OutboundAddresses.publicOnly());
    }

    @AfterAll
    static void closeLauncher() {
        launcher.close();
    }

    private static RunningUpstream launch(UpstreamSpec spec) throws Exception {
        return launcher.launch(spec, LAUNCH).get(LAUNCH.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private static void withUpstream(UpstreamSpec spec, ThrowingConsumer<RunningUpstream> test) throws Exception {
        RunningUpstream upstream = launch(spec);
        try {
            test.accept(upstream);
        } finally {
            upstream.stop(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
        }
    }

    interface ThrowingConsumer<T> {
        void accept(T value) throws Exception;
    }

    static JSONRPCRequest toolCall(Object id, String tool, Map<String, Object> arguments, Object progressToken) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", arguments);
        if (progressToken != null) {
            params.put("_meta", Map.of("progressToken", progressToken));
        }
        return new JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, id, params);
    }

    @SuppressWarnings("unchecked")
    static String text(JSONRPCResponse response) {
        assertThat(response.error()).as("error of %s", response).isNull();
        var content = (List<Map<String, Object>>) ((Map<String, Object>) response.result()).get("content");
        return (String) content.get(0).get("text");
    }

    private static JSONRPCResponse await(CompletableFuture<JSONRPCResponse> future) throws Exception {
        return future.get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
    }

    @Test
    void server_everything_starts_and_answers_initialize() throws Exception {
        withUpstream(TestServers.everything(Map.of()), upstream -> {
            assertThat(upstream.initializeResult().serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(upstream.initializeResult().protocolVersion()).isNotBlank();
            assertThat(upstream.pid()).isPositive();
            assertThat(upstream.ping(CALL).get(10, TimeUnit.SECONDS)).isNotNegative();
            // it announces itself on stderr, which the platform keeps
            waitUntil(() -> !upstream.stderr().isEmpty());
            assertThat(String.join("\n", upstream.stderr())).contains("Starting");
        });
    }

    @Test
    void clients_that_use_the_same_request_id_each_get_their_own_answer() throws Exception {
        withUpstream(TestServers.everything(Map.of()), upstream -> {
            var alice = new RecordingClient("alice");
            var bob = new RecordingClient("bob");
            List<CompletableFuture<JSONRPCResponse>> aliceAnswers = new ArrayList<>();
            List<CompletableFuture<JSONRPCResponse>> bobAnswers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                aliceAnswers.add(CompletableFuture.supplyAsync(() -> upstream.request(
                        toolCall(1, "echo", Map.of("message", "alice"), null), alice, CALL)).thenCompose(f -> f));
                bobAnswers.add(CompletableFuture.supplyAsync(() -> upstream.request(
                        toolCall(1, "echo", Map.of("message", "bob"), null), bob, CALL)).thenCompose(f -> f));
            }
            for (var answer : aliceAnswers) {
                JSONRPCResponse response = await(answer);
                assertThat(response.id()).isEqualTo(1);
                assertThat(text(response)).isEqualTo("Echo: alice");
            }
            for (var answer : bobAnswers) {
                JSONRPCResponse response = await(answer);
                assertThat(response.id()).isEqualTo(1);
                assertThat(text(response)).isEqualTo("Echo: bob");
            }
        });
    }

    @Test
    void progress_reaches_the_client_that_asked_with_its_own_token() throws Exception {
        withUpstream(TestServers.everything(Map.of()), upstream -> {
            var alice = new RecordingClient("alice");
            var bob = new RecordingClient("bob");
            Map<String, Object> arguments = Map.of("duration", 1, "steps", 3);
            var aliceCall = upstream.request(toolCall(7, "trigger-long-running-operation", arguments, "tok"), alice,
                    CALL);
            var bobCall = upstream.request(toolCall(7, "trigger-long-running-operation", arguments, "tok"), bob, CALL);
            assertThat(text(await(aliceCall))).contains("Long running operation completed");
            assertThat(text(await(bobCall))).contains("Long running operation completed");
            for (var client : List.of(alice, bob)) {
                var progress = client.receivedNotifications(McpSchema.METHOD_NOTIFICATION_PROGRESS);
                assertThat(progress).as("progress of %s", client).hasSize(3);
                for (var received : progress) {
                    assertThat(received.relatedRequestId()).isEqualTo(7);
                    @SuppressWarnings("unchecked")
                    var params = (Map<String, Object>) ((McpSchema.JSONRPCNotification) received.message()).params();
                    assertThat(params.get("progressToken")).isEqualTo("tok");
                }
            }
        });
    }

    @Test
    void the_child_sees_only_path_home_and_its_own_variables() throws Exception {
        var spec = TestServers.everything(Map.of("MARKER_API_KEY", "secret-value", "OTHER_SETTING", "x"));
        withUpstream(spec, upstream -> {
            String env = text(await(upstream.request(toolCall(1, "get-env", Map.of(), null),
                    new RecordingClient("c"), CALL)));
            @SuppressWarnings("unchecked")
            Map<String, Object> childEnv = McpJsonDefaults.getMapper().readValue(env, Map.class);
            assertThat(childEnv.keySet()).containsExactlyInAnyOrder("PATH", "HOME", "MARKER_API_KEY", "OTHER_SETTING");
            assertThat(childEnv.get("HOME")).isEqualTo(spec.workingDir().toAbsolutePath().toString());
            assertThat(childEnv.get("MARKER_API_KEY")).isEqualTo("secret-value");
        });
    }

    @Test
    void arguments_with_shell_metacharacters_reach_the_child_literally() throws Exception {
        Path marker = Path.of("/tmp", "upstream-test-" + UUID.randomUUID());
        List<String> tricky = List.of("$(touch " + marker + ")", "; touch " + marker, "`touch " + marker + "`", "|",
                "&&", "a b", "'quoted'", "\"double\"", "*", "$HOME");
        withUpstream(TestServers.javaServer(tricky.toArray(String[]::new)), upstream -> {
            String argv = text(await(upstream.request(toolCall(1, "argv", Map.of(), null), new RecordingClient("c"),
                    CALL)));
            assertThat(McpJsonDefaults.getMapper().readValue(argv, List.class)).isEqualTo(tricky);
            String envKeys = text(await(upstream.request(toolCall(2, "env-keys", Map.of(), null),
                    new RecordingClient("c"), CALL)));
            assertThat(McpJsonDefaults.getMapper().readValue(envKeys, List.class)).containsExactly("HOME", "PATH");
        });
        assertThat(marker).doesNotExist();
    }

    @Test
    void a_request_to_a_frozen_server_times_out_without_holding_a_thread() throws Exception {
        withUpstream(TestServers.everything(Map.of()), upstream -> {
            signal("STOP", upstream.pid());
            try {
                long started = System.nanoTime();
                var response = await(upstream.request(toolCall("x", "echo", Map.of("message", "hi"), null),
                        new RecordingClient("c"), Duration.ofSeconds(1)));
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(response.id()).isEqualTo("x");
                assertThat(response.error().code()).isEqualTo(-32001);
                assertThat(response.error().message()).isEqualTo("Request timed out after 1s");
                assertThat(elapsedMillis).isBetween(900L, 2000L);
            } finally {
                signal("CONT", upstream.pid());
            }
            // the server still works for others afterwards
            assertThat(text(await(upstream.request(toolCall(2, "echo", Map.of("message", "again"), null),
                    new RecordingClient("d"), CALL)))).isEqualTo("Echo: again");
        });
    }

    @Test
    void stop_ends_the_child_and_its_descendants() throws Exception {
        RunningUpstream upstream = launch(TestServers.javaServer("--spawn-child"));
        long grandchild = Long.parseLong(text(await(upstream.request(toolCall(1, "child-pid", Map.of(), null),
                new RecordingClient("c"), CALL))));
        long child = upstream.pid();
        assertThat(ProcessHandle.of(grandchild)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
        var waiting = upstream.request(toolCall(2, "sleep", Map.of("millis", 60_000), null), new RecordingClient("d"),
                CALL);
        List<String> terminations = new CopyOnWriteArrayList<>();
        upstream.onTermination(terminations::add);

        upstream.stop(Duration.ofSeconds(2)).get(15, TimeUnit.SECONDS);

        assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(await(waiting).error().code()).isEqualTo(MultiplexedUpstream.UNAVAILABLE);
        assertThat(terminations).as("a stop is not a termination by itself").isEmpty();
        assertThat(await(upstream.request(toolCall(3, "echo", Map.of("message", "late"), null),
                new RecordingClient("e"), CALL)).error()).isNotNull();
    }

    @Test
    void a_crash_is_reported_and_fails_the_waiting_requests() throws Exception {
        RunningUpstream upstream = launch(TestServers.everything(Map.of()));
        try {
            CompletableFuture<String> termination = new CompletableFuture<>();
            upstream.onTermination(termination::complete);
            var waiting = upstream.request(toolCall(1, "trigger-long-running-operation",
                    Map.of("duration", 30, "steps", 2), null), new RecordingClient("c"), CALL);
            signal("KILL", upstream.pid());
            assertThat(termination.get(10, TimeUnit.SECONDS)).contains("137");
            JSONRPCResponse failed = await(waiting);
            assertThat(failed.id()).isEqualTo(1);
            assertThat(failed.error().code()).isEqualTo(MultiplexedUpstream.UNAVAILABLE);
            // a listener that comes late still hears it
            CompletableFuture<String> late = new CompletableFuture<>();
            upstream.onTermination(late::complete);
            assertThat(late.get(1, TimeUnit.SECONDS)).contains("137");
        } finally {
            upstream.stop(Duration.ZERO).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_blocked_tool_is_refused_without_reaching_the_server_and_tool_lists_are_reported() throws Exception {
        withUpstream(TestServers.everything(Map.of()), upstream -> {
            List<List<McpSchema.Tool>> listed = new CopyOnWriteArrayList<>();
            upstream.onToolsListed(listed::add);

            List<McpSchema.Tool> tools = upstream.listTools(CALL).get(20, TimeUnit.SECONDS);
            assertThat(tools).extracting(McpSchema.Tool::name).contains("echo", "get-env", "get-sum");
            assertThat(listed).hasSize(1);
            var clientList = await(upstream.request(new JSONRPCRequest(McpSchema.JSONRPC_VERSION,
                    McpSchema.METHOD_TOOLS_LIST, 5, null), new RecordingClient("c"), CALL));
            assertThat(clientList.id()).isEqualTo(5);
            assertThat(listed).hasSize(2);
            assertThat(listed.get(1)).extracting(McpSchema.Tool::name).containsAll(
                    tools.stream().map(McpSchema.Tool::name).toList());

            upstream.block(Set.of("echo"));
            var refused = await(upstream.request(toolCall(9, "echo", Map.of("message", "x"), null),
                    new RecordingClient("c"), CALL));
            assertThat(refused.id()).isEqualTo(9);
            assertThat(refused.error().code()).isEqualTo(-32003);
            assertThat(refused.error().message()).isEqualTo("Tool 'echo' is blocked: its definition changed since it "
                    + "was pinned; an admin must approve it");
            assertThat(text(await(upstream.request(toolCall(10, "get-sum", Map.of("a", 1, "b", 2), null),
                    new RecordingClient("c"), CALL)))).contains("3");

            upstream.block(Set.of());
            assertThat(text(await(upstream.request(toolCall(11, "echo", Map.of("message", "x"), null),
                    new RecordingClient("c"), CALL)))).isEqualTo("Echo: x");
        });
    }

    @Test
    void the_servers_sampling_request_goes_to_the_waiting_client_that_declared_sampling() throws Exception {
        withUpstream(TestServers.javaServer(), upstream -> {
            var sampler = new RecordingClient("sampler", "sampling").answeringRequests((client, request) ->
                    upstream.respond(new JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), Map.of(
                            "role", "assistant", "model", "test-model",
                            "content", Map.of("type", "text", "text", "from the client")), null), client));
            var answer = await(upstream.request(toolCall(3, "sample", Map.of("prompt", "hi"), null), sampler, CALL));
            assertThat(text(answer)).isEqualTo("Sampled: from the client");
            var request = sampler.received.stream()
                    .filter(r -> r.message() instanceof JSONRPCRequest).findFirst().orElseThrow();
            assertThat(request.relatedRequestId()).isEqualTo(3);
            assertThat(((JSONRPCRequest) request.message()).method()).isEqualTo("sampling/createMessage");
            assertThat(((JSONRPCRequest) request.message()).id().toString()).startsWith("s-");

            // nobody able to sample: the server hears "method not found" and its tool fails
            var plain = new RecordingClient("plain");
            var refused = await(upstream.request(toolCall(4, "sample", Map.of("prompt", "hi"), null), plain, CALL));
            assertThat(refused.error() != null || Boolean.TRUE.equals(((Map<?, ?>) refused.result()).get("isError")))
                    .as("%s", refused).isTrue();
            assertThat(plain.received).noneMatch(r -> r.message() instanceof JSONRPCRequest);
        });
    }

    @Test
    void detaching_a_client_cancels_what_it_waits_for() throws Exception {
        withUpstream(TestServers.javaServer(), upstream -> {
            var leaving = new RecordingClient("leaving");
            var waiting = upstream.request(toolCall(1, "sleep", Map.of("millis", 30_000), null), leaving, CALL);
            Thread.sleep(200);
            upstream.detach(leaving);
            JSONRPCResponse answer = waiting.get(2, TimeUnit.SECONDS);
            assertThat(answer.error().code()).isEqualTo(MultiplexedUpstream.UNAVAILABLE);
            assertThat(text(await(upstream.request(toolCall(2, "add", Map.of("a", 2, "b", 3), null),
                    new RecordingClient("staying"), CALL)))).isEqualTo("5.0");
        });
    }

    @Test
    void a_command_that_is_not_on_path_fails_the_launch() {
        var spec = new UpstreamSpec("d", "t", "missing", UpstreamKind.STDIO, "no-such-mcp-server-command",
                List.of(), Map.of(), TestServers.workingDir(), null, Map.of());
        assertThatThrownBy(() -> launcher.launch(spec, LAUNCH).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UpstreamLaunchException.class)
                .hasMessageContaining("not found on PATH");
    }

    @Test
    void a_server_that_never_answers_initialize_is_killed_when_the_launch_times_out() throws Exception {
        Path dir = TestServers.workingDir();
        var spec = new UpstreamSpec("d", "t", "silent", UpstreamKind.STDIO, "sleep", List.of("300"), Map.of(), dir,
                null, Map.of());
        assertThatThrownBy(() -> launcher.launch(spec, Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(UpstreamLaunchException.class)
                .hasMessageContaining("within 1000 ms");
        waitUntil(() -> ProcessHandle.current().children()
                .noneMatch(p -> p.info().command().orElse("").endsWith("sleep")
                        && p.info().arguments().map(a -> List.of(a).contains("300")).orElse(false)));
        assertThat(Files.isDirectory(dir)).isTrue();
    }

    static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(50);
        }
    }

}
