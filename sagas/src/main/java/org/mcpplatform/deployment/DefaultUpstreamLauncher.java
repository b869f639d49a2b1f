package org.mcpplatform.deployment;

import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts stdio servers as child processes and connects to remote ones (Streamable HTTP or HTTP+SSE), each time
 * completing the MCP handshake through a {@link MultiplexedUpstream}. A launch that fails or runs out of time kills
 * whatever it had started.
 */
public final class DefaultUpstreamLauncher implements UpstreamLauncher, AutoCloseable {

    /** Headers the transports set themselves; a spec may not override them. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("accept", "content-type", "mcp-session-id",
            "mcp-protocol-version", "last-event-id", "cache-control");

    private final OutboundAddresses outbound;
    private final McpJsonMapper mapper;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService starter;

    public DefaultUpstreamLauncher(OutboundAddresses outbound) {
        this(outbound, McpJsonDefaults.getMapper());
    }

    public DefaultUpstreamLauncher(OutboundAddresses outbound, McpJsonMapper mapper) {
        this.outbound = outbound;
        this.mapper = mapper;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemons("mcp-upstream-timeouts"));
        // process start and DNS resolution block: never on the caller's thread
        this.starter = Executors.newCachedThreadPool(daemons("mcp-upstream-launch"));
    }

    @Override
    public CompletableFuture<RunningUpstream> launch(UpstreamSpec spec, Duration timeout) {
        AtomicReference<MultiplexedUpstream> started = new AtomicReference<>();
        AtomicReference<UpstreamLifecycle> lifecycle = new AtomicReference<>();
        CompletableFuture<RunningUpstream> launched = CompletableFuture
                .supplyAsync(() -> connection(spec, timeout), starter)
                .thenCompose(connection -> {
                    lifecycle.set(connection.lifecycle());
                    var upstream = new MultiplexedUpstream(spec, connection.transport(), connection.lifecycle(),
                            mapper, scheduler);
                    started.set(upstream);
                    return upstream.start(timeout);
                })
                .thenApply(upstream -> (RunningUpstream) upstream)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return launched.handle((upstream, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(upstream);
            }
            UpstreamLifecycle begun = lifecycle.get();
            List<String> stderr = begun == null ? List.of() : begun.stderr();
            UpstreamLaunchException error = launchFailure(spec, timeout, unwrap(failure), stderr);
            MultiplexedUpstream upstream1 = started.get();
            CompletableFuture<Void> cleanup = upstream1 != null ? upstream1.stop(Duration.ZERO)
                    : begun != null ? begun.stop(Duration.ZERO) : CompletableFuture.completedFuture(null);
            return cleanup.handle((ignored, cleanupFailure) -> (RunningUpstream) null)
                    .thenCompose(ignored -> CompletableFuture.<RunningUpstream>failedFuture(error));
        }).thenCompose(future -> future);
    }

    private static UpstreamLaunchException launchFailure(UpstreamSpec spec, Duration timeout, Throwable cause,
                                                         List<String> stderr) {
        String what = spec.kind() == UpstreamKind.STDIO ? "The server process" : "The remote server";
        String message = cause instanceof TimeoutException
                ? what + " did not complete the MCP handshake within " + timeout.toMillis() + " ms"
                : what + " could not be started: " + cause.getMessage();
        return new UpstreamLaunchException(message, stderr, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private record Connection(McpClientTransport transport, UpstreamLifecycle lifecycle) {
    }

    private Connection connection(UpstreamSpec spec, Duration timeout) {
        if (spec.kind() == UpstreamKind.STDIO) {
            if (spec.workingDir() == null) {
                throw new IllegalArgumentException("A stdio server needs a working directory");
            }
            var child = new ChildProcessTransport(spec.slug(), spec.command(), spec.args(), spec.env(),
                    spec.workingDir(), mapper);
            return new Connection(child, child);
        }
        McpClientTransport transport = remoteTransport(spec, timeout);
        return new Connection(transport, new RemoteLifecycle(transport));
    }

    private McpClientTransport remoteTransport(UpstreamSpec spec, Duration timeout) {
        URI url = outbound.check(spec.url());
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        HttpRequest.Builder requests = HttpRequest.newBuilder();
        for (Map.Entry<String, String> header : (spec.headers() == null ? Map.<String, String>of() : spec.headers())
                .entrySet()) {
            if (TRANSPORT_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("The header " + header.getKey() + " is set by the transport");
            }
            try {
                requests.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                // the JDK refuses restricted or malformed headers; say which one, never its value
                throw new IllegalArgumentException("The header " + header.getKey() + " cannot be sent");
            }
        }
        // never follow a redirect: the server could point the platform at an address the check above refuses
        HttpClient.Builder client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout);
        if (spec.kind() == UpstreamKind.SSE) {
            // the SDK's default message-endpoint validator only accepts a same-origin endpoint event
            return HttpClientSseClientTransport.builder(base)
                    .sseEndpoint(path)
                    .clientBuilder(client)
                    .requestBuilder(requests)
                    .jsonMapper(mapper)
                    .connectTimeout(timeout)
                    .build();
        }
        return HttpClientStreamableHttpTransport.builder(base)
                .endpoint(path)
                .clientBuilder(client)
                .requestBuilder(requests)
                .jsonMapper(mapper)
                .connectTimeout(timeout)
                .openConnectionOnStartup(false)
                .build();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        starter.shutdownNow();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
