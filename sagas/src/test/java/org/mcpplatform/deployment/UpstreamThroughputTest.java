package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.StdioUpstreamTest.toolCall;

/**
 * Many clients' calls through one upstream session at once. The numbers are printed, not asserted tightly: the box
 * is shared, and the server itself (node) is most of each round trip. What it asserts: every answer reaches the
 * client that asked, with that client's id, under concurrency from many threads.
 */
class UpstreamThroughputTest {

    @Test
    void thousands_of_concurrent_calls_all_come_back_to_their_caller() throws Exception {
        try (var launcher = new DefaultUpstreamLauncher(OutboundAddresses.publicOnly())) {
            RunningUpstream upstream = launcher.launch(TestServers.everything(Map.of()), Duration.ofSeconds(30))
                    .get(40, TimeUnit.SECONDS);
            try {
                int calls = 4000;
                int clients = 16;
                RecordingClient[] sessions = new RecordingClient[clients];
                for (int i = 0; i < clients; i++) {
                    sessions[i] = new RecordingClient("c" + i);
                }
                // warm-up
                for (int i = 0; i < 200; i++) {
                    upstream.request(toolCall(i, "echo", Map.of("message", "w"), null), sessions[0],
                            Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
                }
                Semaphore inFlight = new Semaphore(64);
                long[] latencies = new long[calls];
                AtomicInteger wrong = new AtomicInteger();
                CompletableFuture<?>[] all = new CompletableFuture<?>[calls];
                long started = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    inFlight.acquire();
                    int call = i;
                    RecordingClient client = sessions[i % clients];
                    long sent = System.nanoTime();
                    all[i] = upstream.request(toolCall(call / clients, "echo", Map.of("message", client.sessionId()
                            + "/" + call), null), client, Duration.ofSeconds(20)).whenComplete((response, error) -> {
                        latencies[call] = System.nanoTime() - sent;
                        inFlight.release();
                        if (error != null || !expected(response, call / clients, client.sessionId() + "/" + call)) {
                            wrong.incrementAndGet();
                        }
                    });
                }
                CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
                double seconds = (System.nanoTime() - started) / 1e9;
                Arrays.sort(latencies);
                System.out.printf("upstream throughput: %d calls in %.2f s = %.0f calls/s, p50 %.2f ms, p99 %.2f ms%n",
                        calls, seconds, calls / seconds, latencies[calls / 2] / 1e6, latencies[calls * 99 / 100] / 1e6);
                assertThat(wrong.get()).isZero();
            } finally {
                upstream.stop(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean expected(JSONRPCResponse response, int id, String message) {
        return response.error() == null && ((Number) response.id()).intValue() == id
                && StdioUpstreamTest.text(response).equals("Echo: " + message);
    }
}
