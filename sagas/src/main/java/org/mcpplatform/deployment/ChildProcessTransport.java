package org.mcpplatform.deployment;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An MCP stdio transport over a child process the platform starts itself.
 * <p>
 * Why not the SDK's {@code StdioClientTransport}: subclassing it can fix its environment leak (override
 * {@code getProcessBuilder()} and clear the env), but it keeps its {@link Process} private, so the platform could not
 * learn the pid, close the child's stdin, notice the exit (its exit code) or the end of stdout, or kill the child's
 * descendants; its stderr reader also buffers a line without bound, and its {@code sendMessage} emits into a unicast
 * sink that fails ("Failed to enqueue message") when several threads send at once — which is exactly the gateway's
 * load. This class is the small rest: newline-delimited JSON-RPC over the child's stdin/stdout.
 * <p>
 * Threads: one reads stdout (and runs the inbound handler, so messages are handled in the order the server wrote
 * them), one drains stderr into a {@link StderrTail}, one writes stdin from a queue (so a sender never blocks on a
 * full pipe, e.g. when the child is stopped).
 */
final class ChildProcessTransport implements McpClientTransport, UpstreamLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChildProcessTransport.class);
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final byte[] CLOSE_STDIN = new byte[0];

    private final String name;
    private final List<String> argv;
    private final Map<String, String> environment;
    private final Path workingDir;
    private final McpJsonMapper mapper;
    private final StderrTail stderr = new StderrTail();
    private final LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
    private final List<Consumer<String>> goneListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String goneReason;
    private volatile boolean stopping;
    private volatile boolean stdinClosed;
    private volatile Process process;

    /**
     * @param name        for thread names only (the deployment's slug)
     * @param command     argv[0]: a path, or a name looked up on the child's PATH
     * @param args        the rest of argv, passed literally (no shell ever sees them)
     * @param env         the child's environment besides PATH and HOME
     * @param workingDir  the child's directory, also its HOME; created if missing
     */
    ChildProcessTransport(String name, String command, List<String> args, Map<String, String> env, Path workingDir,
                          McpJsonMapper mapper) {
        this.name = name;
        this.workingDir = workingDir.toAbsolutePath();
        this.mapper = mapper;
        this.environment = cleanEnvironment(env, this.workingDir);
        List<String> fullArgv = new ArrayList<>();
        fullArgv.add(resolveCommand(command, environment.get("PATH"), this.workingDir));
        fullArgv.addAll(args == null ? List.of() : args);
        this.argv = List.copyOf(fullArgv);
    }

    /**
     * Only the spec's variables plus PATH and HOME: nothing of the platform's own environment (database passwords,
     * signing keys) reaches a tenant's server. PATH is the platform's unless the spec sets one; HOME is always the
     * deployment's directory, so the server's dotfiles and caches stay inside it.
     */
    static Map<String, String> cleanEnvironment(Map<String, String> specEnv, Path workingDir) {
        Map<String, String> env = new LinkedHashMap<>();
        if (specEnv != null) {
            specEnv.forEach((key, value) -> {
                if (key != null && value != null) {
                    env.put(key, value);
                }
            });
        }
        env.putIfAbsent("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", workingDir.toString());
        return env;
    }

    /** argv[0] as an absolute path: a name is looked up on the child's PATH the way a shell would, minus the shell. */
    static String resolveCommand(String command, String path, Path workingDir) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("A stdio server needs a command");
        }
        if (command.contains("/")) {
            Path candidate = workingDir.resolve(command);
            if (!Files.isExecutable(candidate)) {
                throw new IllegalArgumentException("The command is not an executable file: " + command);
            }
            return candidate.toString();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        throw new IllegalArgumentException("The command was not found on PATH: " + command);
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return Mono.fromRunnable(() -> start(handler));
    }

    private void start(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        try {
            Files.createDirectories(workingDir);
            ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the server process: " + e.getMessage(), e);
        }
        ChildProcesses.register(process);
        Process started = process;
        daemon("stderr", () -> stderr.drain(started.getErrorStream())).start();
        daemon("stdin", () -> writeStdin(started.getOutputStream())).start();
        daemon("stdout", () -> readStdout(started.getInputStream(), handler)).start();
        started.onExit().thenAccept(p -> gone("the process exited with code " + p.exitValue()));
    }

    private Thread daemon(String stream, Runnable body) {
        Thread thread = new Thread(body, "mcp-" + name + "-" + stream);
        thread.setDaemon(true);
        return thread;
    }

    private void readStdout(InputStream stdout,
                            Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        try (InputStream in = stdout) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
            boolean oversized = false;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) != -1) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        continue;
                    }
                    oversized |= append(line, buffer, start, i - start);
                    if (oversized) {
                        log.warn("Server {} wrote a message over {} bytes on stdout; dropped", name, MAX_MESSAGE_BYTES);
                    } else if (line.size() > 0) {
                        dispatch(line.toString(StandardCharsets.UTF_8), handler);
                    }
                    line.reset();
                    oversized = false;
                    start = i + 1;
                }
                oversized |= append(line, buffer, start, n - start);
            }
        } catch (IOException e) {
            // the pipe broke: the process is gone or going
        }
        Process current = process;
        // usually the process has just exited: wait a moment so the reason carries its exit code
        current.onExit().completeOnTimeout(null, 1, TimeUnit.SECONDS)
                .thenRun(() -> gone(current.isAlive() ? "the process closed its stdout"
                        : "the process exited with code " + current.exitValue()));
    }

    /** Appends what fits under the message limit; true when something did not fit. */
    private static boolean append(ByteArrayOutputStream line, byte[] buffer, int offset, int length) {
        int room = MAX_MESSAGE_BYTES - line.size();
        line.write(buffer, offset, Math.min(room, length));
        return length > room;
    }

    private void dispatch(String json,
                          Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, json.strip());
        } catch (Exception e) {
            // servers sometimes print banners to stdout; skip the line, keep the session
            log.debug("Server {} wrote a line on stdout that is not JSON-RPC", name);
            return;
        }
        try {
            handler.apply(Mono.just(message)).subscribe(null,
                    error -> log.warn("Handling a message of server {} failed", name, error));
        } catch (RuntimeException e) {
            log.warn("Handling a message of server {} failed", name, e);
        }
    }

    private void writeStdin(OutputStream stdin) {
        try (OutputStream out = stdin) {
            while (true) {
                byte[] message = outbound.take();
                while (message != null) {
                    if (message == CLOSE_STDIN) {
                        return;
                    }
                    out.write(message);
                    out.write('\n');
                    message = outbound.poll();
                }
                out.flush();
            }
        } catch (IOException e) {
            // the child closed its stdin or died: reading stdout notices the end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stdinClosed = true;
            outbound.clear();
        }
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (stdinClosed || process == null) {
            return Mono.error(new IllegalStateException("The server process is not running"));
        }
        byte[] json;
        try {
            // serialized on the sender's thread: the writer thread only copies bytes. Jackson escapes newlines in
            // strings, so a message is always one line.
            json = mapper.writeValueAsBytes(message);
        } catch (IOException e) {
            return Mono.error(e);
        }
        outbound.add(json);
        return Mono.empty();
    }

    private void gone(String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        goneReason = reason;
        stdinClosed = true;
        outbound.add(CLOSE_STDIN);
        if (!stopping) {
            goneListeners.forEach(listener -> notifyGone(listener, reason));
        }
    }

    private void notifyGone(Consumer<String> listener, String reason) {
        try {
            listener.accept(reason);
        } catch (RuntimeException e) {
            log.warn("A termination listener of server {} failed", name, e);
        }
    }

    @Override
    public void onGone(Consumer<String> listener) {
        goneListeners.add(listener);
        String reason = goneReason;
        if (reason != null && !stopping && goneListeners.remove(listener)) {
            notifyGone(listener, reason);
        }
    }

    @Override
    public Long pid() {
        Process current = process;
        return current == null ? null : current.pid();
    }

    @Override
    public List<String> stderr() {
        return stderr.lines();
    }

    /** The exact argv and environment keys the child gets (for tests and diagnostics; values stay here). */
    List<String> argv() {
        return argv;
    }

    /**
     * Closes stdin, sends SIGTERM to the child and all its descendants, waits {@code grace}, then SIGKILLs whatever
     * remains. The descendants are collected before the first signal: once the child is dead, its orphans are
     * re-parented and no longer findable through it.
     */
    @Override
    public CompletableFuture<Void> stop(Duration grace) {
        stopping = true;
        outbound.add(CLOSE_STDIN);
        Process current = process;
        if (current == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<ProcessHandle> tree = new ArrayList<>(current.descendants().toList());
        tree.add(current.toHandle());
        tree.forEach(ProcessHandle::destroy);
        return allExited(tree)
                .completeOnTimeout(null, Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)
                .thenCompose(ignored -> {
                    List<ProcessHandle> remaining = new ArrayList<>(tree);
                    if (current.isAlive()) {
                        current.descendants().filter(handle -> !remaining.contains(handle)).forEach(remaining::add);
                    }
                    remaining.removeIf(handle -> !handle.isAlive());
                    remaining.forEach(ProcessHandle::destroyForcibly);
                    return allExited(remaining);
                });
    }

    private static CompletableFuture<Void> allExited(List<ProcessHandle> handles) {
        return CompletableFuture.allOf(handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromFuture(() -> stop(Duration.ofSeconds(2)));
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }
}
