package org.mcpplatform.gateway;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.UpstreamClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real server-everything child over stdio behind the {@link Upstream} contract, for the gateway's tests until the
 * platform's own upstream (branch upstream) is merged: it multiplexes clients onto the one server session by
 * rewriting request ids and progress tokens, exactly what the contract asks. Not a mock: every answer is the server's.
 */
final class EverythingServer implements Upstream, AutoCloseable {

    private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
    };

    private record Pending(UpstreamClient client, Object clientId, Object clientToken,
                           CompletableFuture<McpSchema.JSONRPCResponse> answer) {
    }

    private final String slug;
    private final Process process;
    private final OutputStream stdin;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile McpSchema.InitializeResult initializeResult;

    static Path serversDirectory() {
        String configured = System.getProperty("mcp.test.servers");
        if (configured != null) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("mcp-servers/node_modules"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("mcp-servers/node_modules not found: run npm ci in mcp-servers");
        }
        return dir.resolve("mcp-servers/node_modules");
    }

    /** Starts server-everything with {@code MARKER=<marker>} in its environment and completes the handshake. */
    static EverythingServer start(String slug, String marker) throws Exception {
        Path entry = serversDirectory().resolve("@modelcontextprotocol/server-everything/dist/index.js");
        ProcessBuilder builder = new ProcessBuilder("node", entry.toString(), "stdio");
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        builder.environment().put("MARKER", marker);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        EverythingServer server = new EverythingServer(slug, builder.start());
        server.handshake();
        return server;
    }

    private EverythingServer(String slug, Process process) {
        this.slug = slug;
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::read, "everything-" + slug);
        reader.setDaemon(true);
        reader.start();
    }

    private void handshake() throws Exception {
        String id = "init";
        CompletableFuture<McpSchema.JSONRPCResponse> answer = new CompletableFuture<>();
        pending.put(id, new Pending(null, id, null, answer));
        write(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_INITIALIZE, id,
                                           Map.of("protocolVersion", McpProtocol.LATEST_VERSION,
                                                  "capabilities", Map.of(),
                                                  "clientInfo", Map.of("name", "gateway-test", "version", "1"))));
        McpSchema.JSONRPCResponse response = answer.get(20, TimeUnit.SECONDS);
        initializeResult = json.convertValue(response.result(), McpSchema.InitializeResult.class);
        write(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
                                                McpSchema.METHOD_NOTIFICATION_INITIALIZED, null));
    }

    @Override
    public String deploymentId() {
        return "dep-" + slug;
    }

    @Override
    public String toolId() {
        return "tool-" + slug;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public McpSchema.InitializeResult initializeResult() {
        return initializeResult;
    }

    @Override
    public CompletableFuture<McpSchema.JSONRPCResponse> request(McpSchema.JSONRPCRequest request,
                                                                UpstreamClient client, Duration timeout) {
        String id = "u" + ids.incrementAndGet();
        Map<String, Object> params = request.params() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(json.convertValue(request.params(), OBJECT));
        Object clientToken = null;
        if (params.get("_meta") instanceof Map<?, ?> meta && meta.get("progressToken") != null) {
            clientToken = meta.get("progressToken");
            Map<String, Object> rewritten = new LinkedHashMap<>();
            meta.forEach((k, v) -> rewritten.put(String.valueOf(k), v));
            rewritten.put("progressToken", id);
            params.put("_meta", rewritten);
        }
        CompletableFuture<McpSchema.JSONRPCResponse> answer = new CompletableFuture<>();
        pending.put(id, new Pending(client, request.id(), clientToken, answer));
        try {
            write(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, request.method(), id, params));
        } catch (IOException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(e);
        }
        return answer.completeOnTimeout(McpProtocol.error(request.id(), McpProtocol.REQUEST_TIMEOUT,
                                                          "Request timed out"),
                                        timeout.toMillis(), TimeUnit.MILLISECONDS)
                     .whenComplete((r, f) -> pending.remove(id));
    }

    @Override
    public void notify(McpSchema.JSONRPCNotification notification, UpstreamClient client) {
        // the gateway tests send no notifications the server needs
    }

    @Override
    public void respond(McpSchema.JSONRPCResponse response, UpstreamClient client) {
    }

    @Override
    public void detach(UpstreamClient client) {
        pending.values().removeIf(p -> p.client() == client);
    }

    private synchronized void write(McpSchema.JSONRPCMessage message) throws IOException {
        stdin.write(json.writeValueAsBytes(message));
        stdin.write('\n');
        stdin.flush();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                             StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                McpSchema.JSONRPCMessage message;
                try {
                    message = McpSchema.deserializeJsonRpcMessage(json, line);
                } catch (IOException notJson) {
                    continue;
                }
                if (message instanceof McpSchema.JSONRPCResponse response) {
                    Pending waiting = pending.remove(String.valueOf(response.id()));
                    if (waiting != null) {
                        waiting.answer().complete(new McpSchema.JSONRPCResponse(
                                McpSchema.JSONRPC_VERSION, waiting.clientId(), response.result(), response.error()));
                    }
                } else if (message instanceof McpSchema.JSONRPCNotification notification
                        && McpSchema.METHOD_NOTIFICATION_PROGRESS.equals(notification.method())) {
                    Map<String, Object> params = new HashMap<>(json.convertValue(notification.params(), OBJECT));
                    Pending waiting = pending.get(String.valueOf(params.get("progressToken")));
                    if (waiting != null && waiting.client() != null) {
                        params.put("progressToken", waiting.clientToken());
                        waiting.client().send(new McpSchema.JSONRPCNotification(
                                McpSchema.JSONRPC_VERSION, notification.method(), params), waiting.clientId());
                    }
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
        pending.values().forEach(p -> p.answer().completeExceptionally(new IOException("server exited")));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
