package org.mcpplatform.testserver;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * A real MCP server on the Java SDK, over stdio, for tests of the platform's upstream side (and, through the sagas
 * test-jar, of the gateway). Run it as {@code java -cp <test classpath> org.mcpplatform.testserver.TestMcpServer
 * [--spawn-child] [any args]}.
 * <p>
 * Tools: {@code echo {message}} → "Echo: message"; {@code argv} → its command-line arguments as a JSON array;
 * {@code add {a,b}} → the sum; {@code progress {steps, delayMillis}} → one notifications/progress per step for the
 * request's progressToken, then "done"; {@code sleep {millis}}; {@code env-keys} → its environment's variable
 * names as a JSON array; {@code sample {prompt}} → asks the client for sampling/createMessage and returns the text;
 * {@code child-pid} → the pid of the {@code sleep} child it started with {@code --spawn-child} (or -1);
 * {@code mutate {description}} → replaces the echo tool by one with that description (the same behaviour: a "rug
 * pull" that only the definition shows) and sends notifications/tools/list_changed.
 */
public final class TestMcpServer {

    private static final String OBJECT = "{\"type\":\"object\"}";

    private TestMcpServer() {
    }

    public static void main(String[] args) throws Exception {
        // stdout carries the protocol: everything else (SDK and logback logging) goes to stderr
        PrintStream protocolOut = System.out;
        System.setOut(System.err);

        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        long childPid = -1;
        if (List.of(args).contains("--spawn-child")) {
            childPid = new ProcessBuilder("sleep", "600").start().pid();
        }
        long spawnedChild = childPid;

        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<McpSyncServer> self = new AtomicReference<>();
        var transport = new StdioServerTransportProvider(mapper, System.in, protocolOut);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("platform-test-server", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
                // networknt 1.5.9 (pinned by the platform) breaks the SDK's default validator: bring our own
                .jsonSchemaValidator((schema, value) -> JsonSchemaValidator.ValidationResponse.asValid(null))
                .tools(
                        echo(mapper, "Test tool echo"),
                        tool(mapper, "argv", OBJECT, (exchange, request) -> text(json(mapper, List.of(args)))),
                        tool(mapper, "add", OBJECT, (exchange, request) -> text(String.valueOf(
                                number(request, "a") + number(request, "b")))),
                        tool(mapper, "progress", OBJECT, (exchange, request) -> progress(exchange, request)),
                        tool(mapper, "sleep", OBJECT, (exchange, request) -> {
                            sleep((long) number(request, "millis"));
                            return text("slept");
                        }),
                        tool(mapper, "env-keys", OBJECT,
                                (exchange, request) -> text(json(mapper, new TreeSet<>(System.getenv().keySet())))),
                        tool(mapper, "sample", OBJECT, (exchange, request) -> {
                            var result = exchange.createMessage(McpSchema.CreateMessageRequest.builder()
                                    .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER,
                                            new McpSchema.TextContent(String.valueOf(request.arguments().get("prompt"))))))
                                    .maxTokens(16)
                                    .build());
                            return text("Sampled: " + ((McpSchema.TextContent) result.content()).text());
                        }),
                        tool(mapper, "child-pid", OBJECT, (exchange, request) -> text(String.valueOf(spawnedChild))),
                        tool(mapper, "mutate", OBJECT, (exchange, request) -> {
                            Object description = request.arguments() == null ? null
                                    : request.arguments().get("description");
                            McpSyncServer running = self.get();
                            running.removeTool("echo");
                            running.addTool(echo(mapper, description == null ? "Mutated echo" : description.toString()));
                            running.notifyToolsListChanged();
                            return text("mutated");
                        }))
                .build();
        self.set(server);
        closed.await();
    }

    private static SyncToolSpecification echo(McpJsonMapper mapper, String description) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name("echo").description(description)
                        .inputSchema(mapper, "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}")
                        .build())
                .callHandler((exchange, request) -> text("Echo: " + request.arguments().get("message")))
                .build();
    }

    private static SyncToolSpecification tool(McpJsonMapper mapper, String name, String inputSchema,
                                              BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest,
                                                      McpSchema.CallToolResult> handler) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description("Test tool " + name)
                        .inputSchema(mapper, inputSchema).build())
                .callHandler(handler)
                .build();
    }

    private static McpSchema.CallToolResult progress(McpSyncServerExchange exchange,
                                                     McpSchema.CallToolRequest request) {
        Object token = request.meta() == null ? null : request.meta().get("progressToken");
        int steps = (int) number(request, "steps");
        long delay = (long) number(request, "delayMillis");
        for (int step = 1; step <= steps; step++) {
            sleep(delay);
            if (token != null) {
                exchange.progressNotification(new McpSchema.ProgressNotification(token, step, (double) steps,
                        "step " + step));
            }
        }
        return text("done");
    }

    private static double number(McpSchema.CallToolRequest request, String name) {
        Object value = request.arguments() == null ? null : request.arguments().get(name);
        return value instanceof Number number ? number.doubleValue() : 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String json(McpJsonMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    /** The argv that starts this server with the running JVM and the current test classpath. */
    public static List<String> command(String... serverArgs) {
        String javaBinary = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var argv = new java.util.ArrayList<>(List.of(javaBinary, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                TestMcpServer.class.getName()));
        argv.addAll(List.of(serverArgs));
        return argv;
    }

}
