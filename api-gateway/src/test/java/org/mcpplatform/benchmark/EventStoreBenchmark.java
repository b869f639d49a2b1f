package org.mcpplatform.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.eventstore.EventStoreConfiguration;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.tool.RegisterTool;
import org.mcpplatform.tool.ToolProjection;
import org.mcpplatform.tool.UpdateTool;
import org.axonframework.messaging.MetaData;
import org.mcpplatform.identity.ActorMetaData;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the event store on the embedded default (in-process MongoDB on its H2 file, H2 read model, in-process
 * cache), the configuration a fresh clone runs with:
 * <ol>
 *     <li>replay: the tool projection is reset and rebuilt over all stored events; events per second;</li>
 *     <li>UpdateTool over REST: concurrent PATCH requests (each waits for its change to reach the read model) against
 *     a store holding the given number of tools; requests per second and latency percentiles.</li>
 * </ol>
 * Run with {@code benchmarks/run} (see benchmarks/README.md). Arguments: tools, extra updates before the replay,
 * client threads, seconds of PATCH load.
 */
public class EventStoreBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int tools = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int extraUpdates = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        McpPlatformApplication.disableAxonUpdateCheckUnlessAsked();
        // benchmark.data-dir keeps a seeded store between runs: a directory that already holds events is not seeded again
        String keep = System.getProperty("benchmark.data-dir");
        Path dataDir = keep == null ? Files.createTempDirectory("mcp-benchmark") : Files.createDirectories(Path.of(keep));
        System.out.printf("data directory %s%n", dataDir);

        ConfigurableApplicationContext app = SpringApplication.run(McpPlatformApplication.class,
                "--server.port=0",
                "--mcp.event-store.data-dir=" + dataDir,
                "--spring.datasource.url=jdbc:h2:file:" + dataDir + "/readmodel;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                        + "CASE_INSENSITIVE_IDENTIFIERS=TRUE",
                "--logging.level.root=WARN",
                "--mcp.api.read-your-writes-wait=" + System.getProperty("benchmark.ryw", "5s"),
                "--mcp.event-store.embedded-backend=" + System.getProperty("benchmark.backend", "h2"));
        try {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            List<String> ids = storedEvents(app) > 0 ? storedToolIds(app) : seed(app, tools, extraUpdates);
            // the first rounds include JIT compilation of the replay path; each round is reported
            int rounds = Integer.getInteger("benchmark.replay-rounds", 3);
            for (int round = 1; round <= rounds; round++) {
                replay(app, ids.size(), round == rounds);
            }
            if (seconds > 0) {
                updateLoad(port, ids, clients, seconds);
            }
        } catch (Throwable failure) {
            failure.printStackTrace();
            throw failure;
        } finally {
            app.close();
            System.exit(0);
        }
    }

    private static List<String> seed(ConfigurableApplicationContext app, int tools, int extraUpdates)
            throws Exception {
        CommandGateway commands = app.getBean(CommandGateway.class);
        MetaData actor = MetaData.with(ActorMetaData.USER_ID, "00000000-0000-4000-8000-000000000001")
                                  .and(ActorMetaData.ROLE, org.mcpplatform.identity.Role.ADMIN.value());
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8, daemon());
        long start = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < tools; i++) {
            int n = i;
            work.add(pool.submit(() -> {
                String id = UUID.randomUUID().toString();
                commands.sendAndWait(org.axonframework.commandhandling.GenericCommandMessage
                        .asCommandMessage(new RegisterTool(id, "Tool " + n, "bench-" + n, "Benchmark tool " + n,
                                                           "1.0.0", config(n)))
                        .andMetaData(actor));
                ids.add(id);
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        work.clear();
        for (int i = 0; i < extraUpdates; i++) {
            int n = i;
            work.add(pool.submit(() -> {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                commands.sendAndWait(org.axonframework.commandhandling.GenericCommandMessage
                        .asCommandMessage(new UpdateTool(id, null, "seed update " + n, null, null, null, null))
                        .andMetaData(actor));
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        double secondsTaken = (System.nanoTime() - start) / 1e9;
        long events = app.getBean(EventStoreConnection.class).database()
                         .getCollection(EventStoreConfiguration.EVENTS).countDocuments();
        System.out.printf("seeded %d tools and %d updates: %d events in %.1f s (%.0f commands/s, direct)%n",
                          tools, extraUpdates, events, secondsTaken, events / secondsTaken);
        awaitProjection(app, tools);
        return new ArrayList<>(ids);
    }

    private static long storedEvents(ConfigurableApplicationContext app) {
        return app.getBean(EventStoreConnection.class).database()
                  .getCollection(EventStoreConfiguration.EVENTS).countDocuments();
    }

    private static List<String> storedToolIds(ConfigurableApplicationContext app) throws InterruptedException {
        long tools = app.getBean(EventStoreConnection.class).database()
                        .getCollection("toolslugclaims").countDocuments();
        awaitProjection(app, (int) tools);
        List<String> ids = app.getBean(JdbcTemplate.class).queryForList("SELECT id FROM mcp_tools", String.class);
        System.out.printf("reusing %d stored events of %d tools%n", storedEvents(app), ids.size());
        return ids;
    }

    private static void replay(ConfigurableApplicationContext app, int tools, boolean profile)
            throws InterruptedException {
        TrackingEventProcessor processor = app.getBean(EventProcessingConfiguration.class)
                                              .eventProcessor(ToolProjection.PROCESSING_GROUP,
                                                              TrackingEventProcessor.class)
                                              .orElseThrow();
        long events = app.getBean(EventStoreConnection.class).database()
                         .getCollection(EventStoreConfiguration.EVENTS).countDocuments();
        processor.shutDown();
        processor.resetTokens();
        Profiler profiler = profile ? Profiler.fromSystemProperty() : Profiler.none();
        profiler.start();
        long start = System.nanoTime();
        processor.start();
        while (true) {
            Thread.sleep(20);
            EventTrackerStatus status = processor.processingStatus().get(0);
            // a replay formally ends with the first event after the reset point; done here means: at the head
            if (status != null && status.getCurrentPosition().orElse(0) >= events && rows(app) == tools) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        profiler.stop("replay");
        System.out.printf("REPLAY: tool projection rebuilt over %d events in %.2f s = %.0f events/s%n",
                          events, seconds, events / seconds);
    }

    /**
     * PATCH load. With wrk installed (Debian package wrk) the load comes from wrk and benchmarks/patch-tools.lua, a
     * generator in C that leaves the CPU to the platform; otherwise from Java threads in this process.
     */
    private static void updateLoad(int port, List<String> ids, int clients, int seconds) throws Exception {
        int warmup = Integer.getInteger("benchmark.warmup", 20);
        Path script = Path.of(System.getProperty("benchmark.wrk-script", "../benchmarks/patch-tools.lua"));
        if (wrkAvailable() && Files.exists(script)) {
            Path idFile = Files.createTempFile("mcp-benchmark-ids", ".txt");
            Files.write(idFile, ids);
            wrk(port, script, idFile, clients, warmup);
            Profiler profiler = Profiler.fromSystemProperty();
            profiler.start();
            String result = wrk(port, script, idFile, clients, seconds);
            profiler.stop("update");
            System.out.printf("UPDATE (wrk, %d connections, %d tools stored): %s%n", clients, ids.size(), result);
            return;
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                    .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        runLoad(http, port, ids, clients, warmup, new AtomicLong(), new AtomicLong(), new ArrayList<>());
        Profiler profiler = Profiler.fromSystemProperty();
        profiler.start();
        long start = System.nanoTime();
        runLoad(http, port, ids, clients, seconds, ok, failed, latencies);
        double taken = (System.nanoTime() - start) / 1e9;
        profiler.stop("update");
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("UPDATE (Java client): %d PATCH requests in %.1f s with %d clients over %d tools = %.0f "
                                  + "requests/s (failed %d); latency ms p50 %.1f p95 %.1f p99 %.1f%n",
                          ok.get(), taken, clients, ids.size(), ok.get() / taken, failed.get(),
                          percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99));
    }

    private static boolean wrkAvailable() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String wrk(int port, Path script, Path ids, int connections, int seconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                                                    "-s", script.toString(),
                                                    "http://127.0.0.1:" + port + "/api/v1/mcps");
        builder.environment().put("MCP_BENCH_IDS", ids.toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output.lines().filter(line -> line.startsWith("WRK")).findFirst()
                     .orElseThrow(() -> new IllegalStateException("wrk failed: " + output));
    }

    private static void runLoad(HttpClient http, int port, List<String> ids, int clients, int seconds,
                                AtomicLong ok, AtomicLong failed, List<Long> latencies) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients, daemon());
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            work.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    String id = ids.get(random.nextInt(ids.size()));
                    String body = "{\"version\":\"" + random.nextInt(100) + "." + random.nextInt(100) + "."
                            + random.nextInt(1000) + "\"}";
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                                                                    + "/api/v1/mcps/" + id))
                                                     .header("Content-Type", "application/json")
                                                     .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                                                     .build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            latencies.add(System.nanoTime() - t0);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size()))) / 1e6;
    }

    private static void awaitProjection(ConfigurableApplicationContext app, int tools) throws InterruptedException {
        while (rows(app) < tools) {
            Thread.sleep(50);
        }
    }

    private static long rows(ConfigurableApplicationContext app) {
        Long count = app.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM mcp_tools", Long.class);
        return count == null ? 0 : count;
    }

    private static JsonNode config(int n) {
        ObjectNode config = JSON.createObjectNode();
        ObjectNode server = config.putObject("mcpServers").putObject("tool-" + n);
        server.put("command", "npx");
        server.putArray("args").add("-y").add("@modelcontextprotocol/server-memory");
        server.putObject("env").put("MEMORY_FILE_PATH", "/tmp/memory-" + n + ".json");
        return config;
    }
}
