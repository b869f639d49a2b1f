package org.mcpplatform.live;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mcpplatform.McpPlatformApplication;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.LiveClient;
import org.mcpplatform.support.PlatformNodes;
import org.mcpplatform.support.TcpProxy;
import org.mcpplatform.support.TestServices;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * Two platform nodes sharing one event store, one MariaDB, one Redis and one RabbitMQ (reached through a proxy the
 * test can cut): a subscriber on either node hears the events of commands handled on the other, and nothing is lost
 * or repeated while RabbitMQ is unreachable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodeLiveEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TcpProxy rabbit;
    private PlatformNodes platform;
    private int portA;
    private int portB;

    @BeforeAll
    void startTwoNodes() {
        rabbit = new TcpProxy(TestServices.RABBITMQ_URL, 5672);
        String exchange = TestServices.freshExchange();
        platform = PlatformNodes.start(2, List.of(McpPlatformApplication.class),
                                       node -> List.of("--mcp.deployments.run-servers=false",
                                                       "--mcp.live.rabbitmq-url=" + rabbit.url(),
                                                       "--mcp.live.exchange=" + exchange,
                                                       "--mcp.live.queue-expires=60s"));
        portA = platform.port(0);
        portB = platform.port(1);
    }

    @AfterAll
    void stopNodes() {
        if (platform != null) {
            platform.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
    }

    private static LiveClient subscriber(int port, String topic) {
        LiveClient client = LiveClient.webSocket(port, new Api(port).adminToken());
        client.awaitType("authenticated", WAIT);
        client.send(Map.of("action", "subscribe", "topics", List.of(topic)));
        client.awaitType("subscribed", WAIT);
        return client;
    }

    private static String register(Api api, String stem) {
        Api.Response created = api.post("/api/v1/mcps", registration(uniqueSlug(stem)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void aSubscriberOnOneNodeHearsTheCommandsOfTheOther() {
        try (LiveClient onA = subscriber(portA, "tools"); LiveClient onB = subscriber(portB, "tools")) {
            String fromB = register(new Api(portB), "from-b");
            onA.await(message -> fromB.equals(message.at("/payload/tool_id").asText()), WAIT);
            onB.await(message -> fromB.equals(message.at("/payload/tool_id").asText()), WAIT);
            String fromA = register(new Api(portA), "from-a");
            onB.await(message -> fromA.equals(message.at("/payload/tool_id").asText()), WAIT);
            onA.await(message -> fromA.equals(message.at("/payload/tool_id").asText()), WAIT);
        }
    }

    @Test
    void everySubscriberReceivesAllOfAHundredEventsOnceThoughRabbitMqIsGoneForTenSeconds() throws Exception {
        Api a = new Api(portA);
        Api b = new Api(portB);
        try (LiveClient onA = subscriber(portA, "tools"); LiveClient onB = subscriber(portB, "tools")) {
            Set<String> registered = new HashSet<>();
            long restoreAt = 0;
            for (int i = 0; i < 100; i++) {
                if (i == 20) {
                    rabbit.cut();
                    restoreAt = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                }
                if (restoreAt != 0 && System.nanoTime() >= restoreAt) {
                    rabbit.restore();
                    restoreAt = 0;
                }
                registered.add(register(i % 2 == 0 ? a : b, "outage"));
                if (i == 40) {
                    // commands go on; the health check tells operators that live events wait
                    Api.Response health = Api.anonymous(portA).get("/health");
                    assertThat(health.status()).isEqualTo(200);
                    assertThat(health.json().get("status").asText()).isEqualTo("degraded");
                    assertThat(health.json().at("/checks/rabbitmq/status").asText()).isEqualTo("down");
                }
                Thread.sleep(120);
            }
            if (restoreAt != 0) {
                Thread.sleep(Math.max(0, (restoreAt - System.nanoTime()) / 1_000_000));
                rabbit.restore();
            }
            for (LiveClient client : List.of(onA, onB)) {
                Map<String, Integer> received = new HashMap<>();
                while (received.size() < registered.size()) {
                    JsonNode event = client.await(message -> "ToolRegistered".equals(message.path("type").asText())
                            && registered.contains(message.at("/payload/tool_id").asText()), Duration.ofSeconds(60));
                    received.merge(event.at("/payload/tool_id").asText(), 1, Integer::sum);
                }
                // anything late would be a repeat
                client.drain(Duration.ofSeconds(2)).stream()
                      .filter(message -> "ToolRegistered".equals(message.path("type").asText()))
                      .forEach(message -> received.merge(message.at("/payload/tool_id").asText(), 1, Integer::sum));
                assertThat(received.keySet()).isEqualTo(registered);
                assertThat(received.values()).as("each event exactly once").allMatch(count -> count == 1);
            }
        } finally {
            rabbit.restore();
        }
    }
}
