package org.mcpplatform.benchmark.gateway;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Echo {@code tools/call} round trips with the MCP Java SDK client against one target, at each of the given
 * concurrencies: every level first runs {@code --warmup} seconds unmeasured, then {@code --seconds} measured, and
 * prints calls/s and p50/p90/p99 latency. Targets:
 * <ul>
 *   <li>{@code stdio --server <server-everything entry js>}: the SDK's StdioClientTransport straight to the server.
 *       One stdio server serves one client, so at N &gt; 1 it is ONE McpAsyncClient with N calls in flight (N threads
 *       each waiting for its call), not N sessions.</li>
 *   <li>{@code http --url http://host:port --endpoint /mcp [--header "Name: value"]}: Streamable HTTP, each client its
 *       own McpSyncClient, transport, HttpClient and MCP session (supergateway starts one child per session).</li>
 *   <li>{@code platform --api http://host:port --password <admin password> --server <entry js>}: logs in, makes an
 *       API key, registers server-everything as a tool, deploys it, waits for "running", then runs like {@code http}
 *       against its /mcp/{slug} with the key in X-API-Key, and stops the deployment at the end.</li>
 * </ul>
 * Common options: {@code --clients 1,32 --seconds 20 --warmup 10 --label name}.
 */
public final class GatewayBenchmark {

    private static final String MESSAGE = "benchmark";
    private static final McpSchema.CallToolRequest ECHO =
            new McpSchema.CallToolRequest("echo", Map.of("message", MESSAGE));
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private GatewayBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        try {
            run(argv);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("gateway benchmark: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(String[] argv) throws Exception {
        Map<String, String> options = options(argv);
        String target = argv[0];
        int[] levels = Arrays.stream(options.getOrDefault("clients", "1,32").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        String label = options.getOrDefault("label", target);

        List<Result> results = new ArrayList<>();
        switch (target) {
            case "stdio" -> {
                ServerParameters server = ServerParameters.builder("node")
                        .args(required(options, "server"), "stdio").build();
                for (int clients : levels) {
                    results.add(stdio(label, server, clients, warmup, measure));
                }
            }
            case "http" -> {
                Http http = new Http(required(options, "url"), options.getOrDefault("endpoint", "/mcp"),
                                     options.get("header"));
                for (int clients : levels) {
                    results.add(Load.run(label, clients, warmup, measure, i -> http.session()));
                }
            }
            case "platform" -> {
                Platform platform = new Platform(required(options, "api"),
                                                 options.getOrDefault("username", "admin"),
                                                 required(options, "password"));
                Platform.Deployed deployed = platform.deployEverything(required(options, "server"),
                                                                       options.getOrDefault("slug", "bench-echo"));
                try {
                    Http http = new Http(platform.base(), deployed.endpointPath(), "X-API-Key: " + deployed.apiKey());
                    for (int clients : levels) {
                        results.add(Load.run(label, clients, warmup, measure, i -> http.session()));
                    }
                } finally {
                    platform.stop(deployed);
                }
            }
            default -> throw new IllegalArgumentException("unknown target " + target + " (stdio, http, platform)");
        }
        System.out.println();
        System.out.println("| target | clients | calls/s | p50 ms | p90 ms | p99 ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|");
        results.forEach(r -> System.out.println(r.markdownRow()));
        if (results.stream().anyMatch(r -> r.calls() == 0)) {
            System.exit(1);
        }
    }

    /** Direct stdio: one client (sync) or one client with {@code clients} calls in flight (async). */
    private static Result stdio(String label, ServerParameters server, int clients, Duration warmup,
                                Duration measure) {
        if (clients == 1) {
            try (McpSyncClient client = McpClient.sync(new StdioClientTransport(server, McpJsonDefaults.getMapper()))
                    .requestTimeout(REQUEST_TIMEOUT)
                    .jsonSchemaValidator(NO_VALIDATION)
                    .build()) {
                client.initialize();
                return Load.run(label, 1, warmup, measure, i -> () -> check(client.callTool(ECHO)));
            }
        }
        McpAsyncClient client = McpClient.async(new SerializedStdioTransport(server))
                .requestTimeout(REQUEST_TIMEOUT)
                .jsonSchemaValidator(NO_VALIDATION)
                .build();
        try {
            client.initialize().block(REQUEST_TIMEOUT);
            return Load.run(label + " (1 client, " + clients + " in flight)", clients, warmup, measure,
                            i -> () -> check(client.callTool(ECHO).block(REQUEST_TIMEOUT)));
        } finally {
            client.closeGracefully().block(Duration.ofSeconds(10));
        }
    }

    /**
     * StdioClientTransport with one sender at a time. Its sendMessage emits into a unicast sink that allows a single
     * producer: concurrent callers busy-loop for at most 100 ms and then fail with "Failed to enqueue message"
     * (seen here with 32 threads on 2 busy cores: 664 of 108,000 calls). The lock is held only for the enqueue.
     */
    static final class SerializedStdioTransport extends StdioClientTransport {

        SerializedStdioTransport(ServerParameters server) {
            super(server, McpJsonDefaults.getMapper());
        }

        @Override
        public synchronized Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return super.sendMessage(message);
        }
    }

    /**
     * The SDK's default validator needs networknt json-schema-validator 2.x, and the project pins 1.5.9; echo has no
     * output schema to check anyway.
     */
    static final JsonSchemaValidator NO_VALIDATION = (schema, value) ->
            JsonSchemaValidator.ValidationResponse.asValid(null);

    static void check(McpSchema.CallToolResult result) {
        if (Boolean.TRUE.equals(result.isError()) || result.content().isEmpty()
                || !(result.content().get(0) instanceof McpSchema.TextContent text)
                || !text.text().equals("Echo: " + MESSAGE)) {
            throw new IllegalStateException("unexpected echo result: " + result);
        }
    }

    /** Streamable HTTP sessions: each one its own HttpClient, transport, client and Mcp-Session-Id. */
    record Http(String base, String endpoint, String header) {

        Load.Caller session() {
            var transport = HttpClientStreamableHttpTransport.builder(base)
                    .endpoint(endpoint)
                    // HTTP/1.1 as the MCP clients in the wild use it, and no h2c upgrade dance on plain http
                    .customizeClient(builder -> builder.version(HttpClient.Version.HTTP_1_1))
                    .httpRequestCustomizer((request, method, uri, body, context) -> {
                        if (header != null) {
                            int colon = header.indexOf(':');
                            request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
                        }
                    })
                    .build();
            McpSyncClient client = client(transport);
            client.initialize();
            return new Load.Caller() {
                @Override
                public void call() {
                    check(client.callTool(ECHO));
                }

                @Override
                public void close() {
                    client.closeGracefully();
                }
            };
        }

        private static McpSyncClient client(McpClientTransport transport) {
            return McpClient.sync(transport)
                    .requestTimeout(REQUEST_TIMEOUT)
                    .jsonSchemaValidator(NO_VALIDATION)
                    .build();
        }
    }

    /** The measured loop and its statistics. */
    static final class Load {

        interface Caller extends AutoCloseable {
            void call() throws Exception;

            @Override
            default void close() {
            }
        }

        interface Callers {
            Caller open(int index) throws Exception;
        }

        static Result run(String label, int clients, Duration warmup, Duration measure, Callers callers)
                throws RuntimeException {
            List<Caller> opened = new ArrayList<>();
            try {
                long openStart = System.nanoTime();
                for (int i = 0; i < clients; i++) {
                    opened.add(callers.open(i));
                }
                System.out.printf("%s, %d clients: sessions ready in %d ms, warming up %d s, measuring %d s%n",
                                  label, clients, (System.nanoTime() - openStart) / 1_000_000,
                                  warmup.toSeconds(), measure.toSeconds());
                long start = System.nanoTime() + 50_000_000L;
                long measureStart = start + warmup.toNanos();
                long end = measureStart + measure.toNanos();
                long[][] latencies = new long[clients][];
                int[] counts = new int[clients];
                AtomicLong errors = new AtomicLong();
                List<String> firstErrors = new ArrayList<>();
                CountDownLatch done = new CountDownLatch(clients);
                for (int i = 0; i < clients; i++) {
                    int worker = i;
                    Caller caller = opened.get(i);
                    Thread thread = new Thread(() -> {
                        long[] mine = new long[1 << 14];
                        int n = 0;
                        try {
                            while (System.nanoTime() < start) {
                                Thread.onSpinWait();
                            }
                            while (true) {
                                long t0 = System.nanoTime();
                                if (t0 >= end) {
                                    break;
                                }
                                boolean failed = false;
                                try {
                                    caller.call();
                                } catch (Exception | Error e) {
                                    failed = true;
                                    if (t0 >= measureStart) {
                                        errors.incrementAndGet();
                                    }
                                    synchronized (firstErrors) {
                                        if (firstErrors.size() < 3) {
                                            firstErrors.add(e.toString());
                                        }
                                    }
                                }
                                long t1 = System.nanoTime();
                                if (!failed && t0 >= measureStart && t1 <= end) {
                                    if (n == mine.length) {
                                        mine = Arrays.copyOf(mine, n * 2);
                                    }
                                    mine[n++] = t1 - t0;
                                }
                            }
                        } finally {
                            latencies[worker] = mine;
                            counts[worker] = n;
                            done.countDown();
                        }
                    }, "client-" + i);
                    thread.setDaemon(true);
                    thread.start();
                }
                if (!done.await(warmup.plus(measure).plus(REQUEST_TIMEOUT).plusSeconds(10).toMillis(),
                                java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("clients did not finish");
                }
                int total = Arrays.stream(counts).sum();
                long[] all = new long[total];
                int at = 0;
                for (int i = 0; i < clients; i++) {
                    System.arraycopy(latencies[i], 0, all, at, counts[i]);
                    at += counts[i];
                }
                Arrays.sort(all);
                Result result = new Result(label, clients, total, total / (measure.toNanos() / 1e9),
                                           percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99),
                                           errors.get());
                System.out.println("  " + result.line());
                firstErrors.forEach(e -> System.out.println("  error: " + e));
                return result;
            } catch (Exception e) {
                throw new IllegalStateException(label + ", " + clients + " clients: " + e.getMessage(), e);
            } finally {
                opened.forEach(Caller::close);
            }
        }

        private static double percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }

    record Result(String label, int clients, long calls, double callsPerSecond, double p50, double p90, double p99,
                  long errors) {

        String line() {
            return String.format("%d calls, %,.0f calls/s, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, %d errors",
                                 calls, callsPerSecond, p50, p90, p99, errors);
        }

        String markdownRow() {
            return String.format("| %s | %d | %,.0f | %.3f | %.3f | %.3f | %d |",
                                 label, clients, callsPerSecond, p50, p90, p99, errors);
        }
    }

    private static Map<String, String> options(String[] argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("usage: GatewayBenchmark stdio|http|platform [--name value]...");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + argv[i]);
            }
            options.put(argv[i].substring(2), argv[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
