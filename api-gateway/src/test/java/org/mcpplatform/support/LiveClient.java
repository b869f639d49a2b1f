package org.mcpplatform.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An outside client of the live event streams: a WebSocket on /ws (the JDK's client) or an SSE stream on
 * /api/v1/events. Every message received is queued; {@link #await} takes the next one that matches.
 */
public final class LiveClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    /** SSE ids in arrival order (null for messages without one). */
    private final List<String> ids = new ArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private WebSocket socket;
    private InputStream sseBody;
    private Thread sseReader;

    private LiveClient() {
    }

    /** A WebSocket authenticated at the handshake with the subprotocol {@code bearer, <credential>}. */
    public static LiveClient webSocket(int port, String credential) {
        return webSocket(port, List.of("bearer", credential));
    }

    /** A WebSocket offering these subprotocols (none: authenticate by the first message). */
    public static LiveClient webSocket(int port, List<String> subprotocols) {
        LiveClient client = new LiveClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0),
                                 subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client.listener()).join();
        return client;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        messages.add(Api.JSON.readTree(partial.toString()));
                    } catch (IOException e) {
                        throw new IllegalStateException("not JSON: " + partial, e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete("error " + error);
            }
        };
    }

    /** The subprotocol the server chose. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** An SSE stream of the topics, resuming after {@code lastEventId} when it is not null. */
    public static LiveClient sse(int port, String credential, String topics, String lastEventId) {
        LiveClient client = new LiveClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/events?topics=" + topics))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + credential);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw new SseRefused(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        client.sseBody = response.body();
        client.sseReader = new Thread(client::readSse, "sse-client");
        client.sseReader.setDaemon(true);
        client.sseReader.start();
        return client;
    }

    /** The SSE request was answered with an error status. */
    public static final class SseRefused extends RuntimeException {
        public final int status;
        public final String body;

        SseRefused(int status, String body) {
            super(status + " " + body);
            this.status = status;
            this.body = body;
        }
    }

    private void readSse() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(sseBody, StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        synchronized (ids) {
                            ids.add(id);
                        }
                        messages.add(Api.JSON.readTree(data.toString()));
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            closed.complete("end of stream");
        } catch (IOException e) {
            closed.complete("error " + e);
        }
    }

    public List<String> sseIds() {
        synchronized (ids) {
            return List.copyOf(ids);
        }
    }

    public void send(Object message) {
        try {
            String text = message instanceof String s ? s : Api.JSON.writeValueAsString(message);
            socket.sendText(text, true).join();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message that matches, skipping others (heartbeats, say); fails after the timeout. */
    public JsonNode await(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode next = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("no matching message within " + timeout + "; closed: "
                                                     + (closed.isDone() ? closed.join() : "no"));
                }
                if (matching.test(next)) {
                    return next;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public JsonNode awaitType(String type, Duration timeout) {
        return await(message -> type.equals(message.path("type").asText()), timeout);
    }

    /** Every message received within {@code quiet} after the last one, without waiting longer than that. */
    public List<JsonNode> drain(Duration quiet) {
        List<JsonNode> all = new ArrayList<>();
        try {
            JsonNode next;
            while ((next = messages.poll(quiet.toNanos(), TimeUnit.NANOSECONDS)) != null) {
                all.add(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all;
    }

    /** Resolves with "code reason" once the server closed the connection. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            socket.abort();
        }
        if (sseBody != null) {
            try {
                sseBody.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
