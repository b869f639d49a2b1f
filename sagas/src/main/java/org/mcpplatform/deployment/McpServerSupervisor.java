package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.spec.McpSchema;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.tool.FindToolHistory;
import org.mcpplatform.tool.ToolHistory;
import org.mcpplatform.tool.ToolHistoryEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the deployed servers of this node: starts them from their tool's config, tells the deployment what happened
 * (running, tool listings, health, failures), pings them, and stops them. What to do about a failure (restart after a
 * back-off, or give up) is the {@link DeploymentSaga}'s decision: the supervisor reports it as a failed health check.
 * <p>
 * Every start, restart and stop of a deployment begins a new generation; callbacks of an older one (a ping answered
 * late, the old process exiting while its replacement starts) are ignored, so they never count against the new one.
 */
public class McpServerSupervisor implements Upstreams, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(McpServerSupervisor.class);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

    private final UpstreamLauncher launcher;
    private final SystemCommands commands;
    private final QueryGateway queries;
    private final SupervisorProperties properties;
    private final Map<String, Supervised> deployments = new ConcurrentHashMap<>();
    private final Map<String, RunningUpstream> bySlug = new ConcurrentHashMap<>();
    /** Tools whose calls stay blocked until their definitions are approved, by deployment; kept across restarts. */
    private final Map<String, Set<String>> blocked = new ConcurrentHashMap<>();
    private final ExecutorService work;
    private final ScheduledExecutorService healthTimer;
    private volatile ScheduledFuture<?> healthChecks;
    private volatile boolean shuttingDown;
    private volatile boolean running;

    public McpServerSupervisor(UpstreamLauncher launcher, SystemCommands commands, QueryGateway queries,
                               SupervisorProperties properties) {
        this.launcher = launcher;
        this.commands = commands;
        this.queries = queries;
        this.properties = properties;
        AtomicInteger threads = new AtomicInteger();
        this.work = Executors.newCachedThreadPool(runnable -> daemon(runnable, "supervisor-" + threads.incrementAndGet()));
        this.healthTimer = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "supervisor-health"));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One deployment this node runs. Guarded by its own monitor. */
    private static final class Supervised {

        final DeploymentTarget target;
        long generation;
        boolean launching;
        boolean pingInFlight;
        /** The server of the current generation once it answered initialize; null while down or starting. */
        RunningUpstream upstream;
        /** The last server that ran, kept for its stderr after it died. */
        RunningUpstream last;
        /** "name=fingerprint" of the listing last sent to the deployment, sorted. */
        List<String> lastListing;

        Supervised(DeploymentTarget target) {
            this.target = target;
        }

        /** Takes the current server out of service; the caller stops it. */
        RunningUpstream retire(Map<String, RunningUpstream> bySlug) {
            RunningUpstream retired = upstream;
            upstream = null;
            if (retired != null) {
                bySlug.remove(target.slug(), retired);
            }
            return retired;
        }

        long nextGeneration(boolean launch) {
            generation++;
            launching = launch;
            pingInFlight = false;
            lastListing = null;
            return generation;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // what the saga asks for

    /** Starts the deployment's server unless it runs or starts already (the saga may see its request twice). */
    public void start(DeploymentTarget target) {
        if (shuttingDown) {
            return;
        }
        Supervised supervised = deployments.computeIfAbsent(target.deploymentId(), id -> new Supervised(target));
        long generation;
        synchronized (supervised) {
            if (supervised.upstream != null || supervised.launching) {
                return;
            }
            generation = supervised.nextGeneration(true);
        }
        launch(supervised, generation);
    }

    /**
     * Replaces the deployment's server: takes the old one out of service, tells the deployment it restarts, stops the
     * old process (SIGTERM, SIGKILL after the stop grace), and starts a new one. Completes once the new one is being
     * launched (or nothing is to be done: the deployment is no longer active).
     */
    public CompletableFuture<Void> restart(DeploymentTarget target, String reason) {
        if (shuttingDown) {
            return CompletableFuture.completedFuture(null);
        }
        Supervised supervised = deployments.computeIfAbsent(target.deploymentId(), id -> new Supervised(target));
        RunningUpstream old;
        long generation;
        synchronized (supervised) {
            old = supervised.retire(bySlug);
            generation = supervised.nextGeneration(true);
        }
        String deploymentId = target.deploymentId();
        log.info("Restarting deployment {}: {}", deploymentId, reason);
        return commands.send(new RestartDeployment(deploymentId, reason))
                       .thenCompose(revision -> old == null ? CompletableFuture.<Void>completedFuture(null)
                               : old.stop(properties.stopGrace()))
                       .thenRun(() -> launch(supervised, generation))
                       .exceptionally(error -> {
                           log.warn("Deployment {} was not restarted: {}", deploymentId, message(error));
                           synchronized (supervised) {
                               if (supervised.generation == generation) {
                                   supervised.launching = false;
                               }
                           }
                           return null;
                       });
    }

    /** Stops the deployment's server for good: SIGTERM, then SIGKILL after the stop grace. */
    public CompletableFuture<Void> stop(String deploymentId) {
        return stop(deploymentId, properties.stopGrace());
    }

    private CompletableFuture<Void> stop(String deploymentId, Duration grace) {
        blocked.remove(deploymentId);
        Supervised supervised = deployments.remove(deploymentId);
        if (supervised == null) {
            return CompletableFuture.completedFuture(null);
        }
        RunningUpstream upstream;
        synchronized (supervised) {
            upstream = supervised.retire(bySlug);
            supervised.nextGeneration(false);
        }
        if (upstream == null) {
            return CompletableFuture.completedFuture(null);
        }
        log.info("Stopping deployment {} (pid {})", deploymentId, upstream.pid());
        return upstream.stop(grace);
    }

    /** Blocks calls to these tools of the deployment (empty: none), now and after every restart. */
    public void block(String deploymentId, Set<String> toolNames) {
        Set<String> names = Set.copyOf(toolNames);
        if (names.isEmpty()) {
            blocked.remove(deploymentId);
        } else {
            blocked.put(deploymentId, names);
        }
        running(deploymentId).ifPresent(upstream -> upstream.block(names));
    }

    /** Whether the deployment's server runs here or is being started: a failure report about it is then stale. */
    public boolean alive(String deploymentId) {
        Supervised supervised = deployments.get(deploymentId);
        if (supervised == null) {
            return false;
        }
        synchronized (supervised) {
            return supervised.upstream != null || supervised.launching;
        }
    }

    /** The deployment's server, if it runs on this node. */
    public Optional<RunningUpstream> running(String deploymentId) {
        Supervised supervised = deployments.get(deploymentId);
        if (supervised == null) {
            return Optional.empty();
        }
        synchronized (supervised) {
            return Optional.ofNullable(supervised.upstream);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Upstreams: what the gateway routes to

    @Override
    public Optional<Upstream> bySlug(String slug) {
        return Optional.ofNullable(bySlug.get(slug));
    }

    @Override
    public List<String> stderr(String deploymentId) {
        Supervised supervised = deployments.get(deploymentId);
        if (supervised == null) {
            return List.of();
        }
        RunningUpstream upstream;
        synchronized (supervised) {
            upstream = supervised.upstream != null ? supervised.upstream : supervised.last;
        }
        return upstream == null ? List.of() : upstream.stderr();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // starting

    private void launch(Supervised supervised, long generation) {
        DeploymentTarget target = supervised.target;
        CompletableFuture.supplyAsync(() -> spec(target), work)
                         .thenCompose(spec -> launcher.launch(spec, properties.startTimeout()))
                         .whenComplete((upstream, error) -> {
                             if (error != null) {
                                 launchFailed(supervised, generation, error);
                             } else {
                                 launched(supervised, generation, upstream);
                             }
                         });
    }

    private void launched(Supervised supervised, long generation, RunningUpstream upstream) {
        String deploymentId = supervised.target.deploymentId();
        synchronized (supervised) {
            if (supervised.generation != generation || shuttingDown) {
                // stopped or replaced while it started: it must not keep running
                upstream.stop(properties.shutdownGrace());
                return;
            }
            supervised.launching = false;
            supervised.upstream = upstream;
            supervised.last = upstream;
            bySlug.put(supervised.target.slug(), upstream);
            upstream.block(blocked.getOrDefault(deploymentId, Set.of()));
        }
        upstream.onTermination(reason -> terminated(supervised, generation, upstream, reason));
        upstream.onToolsListed(tools -> toolsListed(supervised, generation, tools));
        McpSchema.InitializeResult initialized = upstream.initializeResult();
        McpSchema.Implementation server = initialized == null ? null : initialized.serverInfo();
        log.info("Deployment {} runs (pid {}, {} {})", deploymentId, upstream.pid(),
                 server == null ? "?" : server.name(), server == null ? "?" : server.version());
        commands.send(new MarkDeploymentRunning(deploymentId, upstream.pid(),
                                                server == null ? null : server.name(),
                                                server == null ? null : server.version(),
                                                initialized == null ? null : initialized.protocolVersion()))
                .thenCompose(revision -> upstream.listTools(properties.listToolsTimeout()))
                .thenAccept(tools -> toolsListed(supervised, generation, tools))
                .exceptionally(error -> {
                    log.warn("Deployment {}: the running server's tools were not recorded: {}", deploymentId,
                             message(error));
                    return null;
                });
    }

    private void launchFailed(Supervised supervised, long generation, Throwable error) {
        synchronized (supervised) {
            if (supervised.generation != generation) {
                return;
            }
            supervised.launching = false;
        }
        if (shuttingDown || jvmShuttingDown()) {
            return;
        }
        String deploymentId = supervised.target.deploymentId();
        // the launcher's own failures say already what could not be started, and why
        String reason = unwrap(error) instanceof UpstreamLaunchException launch ? launch.getMessage()
                : "The server could not be started: " + message(error);
        log.warn("Deployment {}: {}", deploymentId, reason);
        report(new RecordDeploymentHealth(deploymentId, false, null, reason));
    }

    /**
     * What it takes to start the server, from the tool's config at the revision that was deployed: what was checked
     * when the deployment was accepted (the allow-list above all) is what runs, also after a restart, whatever the
     * tool's author changed since. A changed config is deployed by a new deployment.
     */
    private UpstreamSpec spec(DeploymentTarget target) {
        ToolHistory history;
        try {
            history = queries.query(new FindToolHistory(target.toolId()), ToolHistory.class)
                             .get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the tool's config", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the tool's config could not be read: " + message(e), e);
        }
        JsonNode config = history == null ? null : history.entries().stream()
                .filter(entry -> entry.version() == target.toolRevision())
                .map(ToolHistoryEntry::config)
                .findFirst().orElse(null);
        if (config == null) {
            throw new IllegalStateException("the tool " + target.toolId() + " has no revision "
                                                    + target.toolRevision());
        }
        JsonNode server = config.path("mcpServers").path(target.server());
        if (server == null || !server.isObject()) {
            throw new IllegalStateException("the tool's config has no mcpServers entry '" + target.server() + "'");
        }
        if (target.kind() == UpstreamKind.STDIO) {
            Path workingDir = properties.dataDir().resolve(target.deploymentId()).toAbsolutePath().normalize();
            try {
                Files.createDirectories(workingDir);
            } catch (IOException e) {
                throw new IllegalStateException("the deployment's directory cannot be created: " + e.getMessage(), e);
            }
            return new UpstreamSpec(target.deploymentId(), target.toolId(), target.slug(), target.kind(),
                                    server.path("command").asText(), strings(server.path("args")),
                                    textMembers(server.path("env")), workingDir, null, Map.of());
        }
        return new UpstreamSpec(target.deploymentId(), target.toolId(), target.slug(), target.kind(), null, List.of(),
                                Map.of(), null, server.path("url").asText(null), textMembers(server.path("headers")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.isTextual() ? value.asText() : value.toString()));
        return values;
    }

    private static Map<String, String> textMembers(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            JsonNode value = member.getValue();
            values.put(member.getKey(), value.isTextual() ? value.asText() : value.toString());
        }
        return values;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // running

    private void terminated(Supervised supervised, long generation, RunningUpstream upstream, String reason) {
        synchronized (supervised) {
            if (supervised.generation != generation || supervised.upstream != upstream) {
                return; // replaced or stopped on purpose
            }
            supervised.retire(bySlug);
        }
        // whatever is left of it (a process tree) goes too
        upstream.stop(properties.shutdownGrace());
        if (shuttingDown || jvmShuttingDown()) {
            return;
        }
        String deploymentId = supervised.target.deploymentId();
        log.warn("Deployment {}: the server is gone (pid {}): {}", deploymentId, upstream.pid(), reason);
        report(new RecordDeploymentHealth(deploymentId, false, null, "The server stopped: " + reason));
    }

    /** Sends the listing when it differs from the one last sent for this server. */
    private void toolsListed(Supervised supervised, long generation, List<McpSchema.Tool> tools) {
        List<ToolFingerprint> fingerprints = ToolDefinitions.fingerprints(tools);
        List<String> listing = fingerprints.stream().map(tool -> tool.name() + "=" + tool.fingerprint()).sorted()
                                           .toList();
        synchronized (supervised) {
            if (supervised.generation != generation || listing.equals(supervised.lastListing)) {
                return;
            }
            supervised.lastListing = listing;
        }
        String deploymentId = supervised.target.deploymentId();
        commands.send(new RecordToolDefinitions(deploymentId, fingerprints)).exceptionally(error -> {
            synchronized (supervised) {
                if (listing.equals(supervised.lastListing)) {
                    supervised.lastListing = null; // the next listing is sent again
                }
            }
            log.warn("Deployment {}: the tool listing was not recorded: {}", deploymentId, message(error));
            return null;
        });
    }

    /** Pings every running server once; a server whose last ping is still out is not pinged again meanwhile. */
    void checkHealth() {
        for (Supervised supervised : deployments.values()) {
            RunningUpstream upstream;
            long generation;
            synchronized (supervised) {
                if (supervised.upstream == null || supervised.pingInFlight) {
                    continue;
                }
                upstream = supervised.upstream;
                generation = supervised.generation;
                supervised.pingInFlight = true;
            }
            CompletableFuture<Long> ping;
            try {
                ping = upstream.ping(properties.healthTimeout());
            } catch (RuntimeException e) {
                ping = CompletableFuture.failedFuture(e);
            }
            ping.whenComplete((latency, error) -> {
                synchronized (supervised) {
                    if (supervised.generation != generation) {
                        return;
                    }
                    supervised.pingInFlight = false;
                    if (supervised.upstream != upstream) {
                        return;
                    }
                }
                if (shuttingDown) {
                    return;
                }
                String deploymentId = supervised.target.deploymentId();
                report(error == null
                               ? new RecordDeploymentHealth(deploymentId, true, latency, null)
                               : new RecordDeploymentHealth(deploymentId, false, null,
                                                            "The server did not answer a ping: " + message(error)));
            });
        }
    }

    private void report(RecordDeploymentHealth health) {
        commands.send(health).exceptionally(error -> {
            log.warn("Deployment {}: a health check was not recorded: {}", health.deploymentId(), message(error));
            return null;
        });
    }

    /**
     * The launcher's shutdown hook kills the children while the context is still closing (hooks run concurrently):
     * their exit is the platform's doing, not a failure of the servers, and must not be recorded as one.
     */
    private static boolean jvmShuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String message(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            return "timed out" + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // lifecycle

    @Override
    public void start() {
        long interval = properties.healthInterval().toMillis();
        healthChecks = healthTimer.scheduleWithFixedDelay(() -> {
            try {
                checkHealth();
            } catch (RuntimeException e) {
                log.warn("A round of health checks failed: {}", e.toString());
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        running = true;
    }

    /**
     * No server outlives the platform: each gets SIGTERM and, after the short shutdown grace, SIGKILL. Their
     * deployments stay running in the event store, so the next start of the platform starts them again.
     */
    @Override
    public void stop() {
        shuttingDown = true;
        ScheduledFuture<?> checks = healthChecks;
        if (checks != null) {
            checks.cancel(false);
        }
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (String deploymentId : List.copyOf(deployments.keySet())) {
            stopping.add(stop(deploymentId, properties.shutdownGrace()).exceptionally(error -> null));
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                             .get(properties.shutdownGrace().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Not every deployed server stopped in time: {}", message(e));
        }
        healthTimer.shutdownNow();
        work.shutdownNow();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server has finished its requests (it stops at a higher phase), before the buses. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }
}
