package org.mcpplatform.live;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Accounts.Account;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.LiveClient;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Tools;
import org.quicktheories.core.Gen;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

/** Seed Properties 44-48 over generated inputs, against the running platform. */
@PlatformTest
class LivePropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

    @LocalServerPort
    int port;
    @Autowired
    LiveHub hub;

    /** Credentials that must not authenticate: noise, forged keys, and a real token with one character changed. */
    private Gen<String> badCredentials(String realToken) {
        Gen<String> noise = strings().betweenCodePoints('-', 'z').ofLengthBetween(1, 300)
                                     .map(text -> text.chars().filter(c -> TOKEN_CHARACTERS.indexOf(c) >= 0)
                                                      .collect(StringBuilder::new, StringBuilder::appendCodePoint,
                                                               StringBuilder::append).toString())
                                     .assuming(text -> !text.isEmpty());
        Gen<String> forgedKeys = strings().betweenCodePoints('a', 'z').ofLength(24)
                                          .map(secret -> "mcp_" + secret.substring(0, 8) + "_" + secret);
        Gen<String> tampered = integers().between(0, realToken.length() - 1).map(position -> {
            char original = realToken.charAt(position);
            char changed = original == 'A' ? 'B' : 'A';
            return realToken.substring(0, position) + changed + realToken.substring(position + 1);
        });
        return noise.mix(forgedKeys, 33).mix(tampered, 50);
    }

    @Test
    void onlyAnAuthenticatedWebSocketIsEverEstablished() {
        // Property 44: WebSocket Authentication
        String realToken = new Api(port).adminToken();
        qt().withExamples(30).forAll(badCredentials(realToken)).checkAssert(credential -> {
            assertThatThrownBy(() -> LiveClient.webSocket(port, credential))
                    .isInstanceOf(CompletionException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse()
                                                                                          .statusCode())
                            .isEqualTo(401));
            try (LiveClient client = LiveClient.webSocket(port, List.of())) {
                client.send(Map.of("action", "auth", "token", credential));
                assertThat(client.awaitType("error", WAIT).at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
                assertThat(client.closed().get(5, TimeUnit.SECONDS)).startsWith("1008");
                assertThat(client.drain(Duration.ofMillis(20)))
                        .noneMatch(message -> "authenticated".equals(message.path("type").asText()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try (LiveClient accepted = LiveClient.webSocket(port, realToken)) {
            assertThat(accepted.awaitType("authenticated", WAIT).get("role").asText()).isEqualTo("admin");
        }
    }

    @Test
    void everySubscriberOfATaskHearsItsStatusChange() {
        // Property 45: WebSocket Status Push (a deployment is the platform's asynchronous task)
        Api admin = new Api(port);
        Account developer = Accounts.create(port, "developer");
        Account stranger = Accounts.create(port, "developer");
        qt().withExamples(4).forAll(integers().between(1, 4)).checkAssert(subscribers -> {
            String toolId = developer.api().post("/api/v1/mcps", Tools.registration(
                    "idle", uniqueSlug("task"), "1.0.0",
                    Tools.stdioConfig("node", "-e", "setInterval(() => {}, 1000000)"))).json().get("id").asText();
            Api.Response deployed = developer.api().post("/api/v1/deployments", Map.of("tool_id", toolId));
            assertThat(deployed.status()).as(deployed.text()).isEqualTo(202);
            String taskId = deployed.json().get("id").asText();
            List<LiveClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < subscribers; i++) {
                    LiveClient client = LiveClient.webSocket(port, i % 2 == 0 ? developer.accessToken()
                            : admin.adminToken());
                    clients.add(client);
                    client.awaitType("authenticated", WAIT);
                    client.send(Map.of("action", "subscribe", "topics", List.of("task:" + taskId)));
                    client.awaitType("subscribed", WAIT);
                }
                try (LiveClient other = LiveClient.webSocket(port, stranger.accessToken())) {
                    other.awaitType("authenticated", WAIT);
                    other.send(Map.of("action", "subscribe", "topics", List.of("task:" + taskId)));
                    assertThat(other.awaitType("error", WAIT).at("/error/code").asText()).isEqualTo("FORBIDDEN");
                }
                assertThat(developer.api().delete("/api/v1/deployments/" + taskId).status()).isEqualTo(200);
                for (LiveClient client : clients) {
                    JsonNode stopped = client.awaitType("DeploymentStopped", WAIT);
                    assertThat(stopped.get("topic").asText()).isEqualTo("task:" + taskId);
                    assertThat(stopped.at("/payload/deployment_id").asText()).isEqualTo(taskId);
                }
            } finally {
                clients.forEach(LiveClient::close);
            }
        });
    }

    @Test
    void everySseSubscriberReceivesEveryEventOfItsTopics() {
        // Property 46: SSE Event Delivery
        Api admin = new Api(port);
        Account viewer = Accounts.create(port, "viewer");
        qt().withExamples(5).forAll(integers().between(1, 4), strings().basicLatinAlphabet().ofLengthBetween(1, 40))
            .checkAssert((subscribers, description) -> {
                List<LiveClient> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < subscribers; i++) {
                        clients.add(LiveClient.sse(port, i % 2 == 0 ? viewer.accessToken() : admin.adminToken(),
                                                   "tools", null));
                    }
                    var body = registration(uniqueSlug("sse"));
                    body.put("description", description);
                    String toolId = admin.post("/api/v1/mcps", body).json().get("id").asText();
                    for (LiveClient client : clients) {
                        JsonNode event = client.await(message -> toolId.equals(message.at("/payload/tool_id")
                                                                                       .asText()), WAIT);
                        assertThat(event.get("type").asText()).isEqualTo("ToolRegistered");
                        assertThat(event.at("/payload/description").asText()).isEqualTo(description);
                    }
                } finally {
                    clients.forEach(LiveClient::close);
                }
            });
    }

    @Test
    void aClosedConnectionLeavesNothingBehind() {
        // Property 47: Connection Cleanup
        qt().withExamples(6).forAll(lists().of(integers().between(0, 2)).ofSizeBetween(1, 6)).checkAssert(kinds -> {
            Account account = Accounts.create(port, "developer");
            List<LiveClient> clients = new ArrayList<>();
            for (int kind : kinds) {
                LiveClient client = kind == 2 ? LiveClient.sse(port, account.accessToken(), "tools,user:"
                        + account.id(), null) : LiveClient.webSocket(port, account.accessToken());
                if (kind != 2) {
                    client.awaitType("authenticated", WAIT);
                    client.send(Map.of("action", "subscribe", "topics", List.of("tools", "user:" + account.id())));
                    client.awaitType("subscribed", WAIT);
                }
                clients.add(client);
            }
            await().atMost(WAIT).until(() -> held(account).size() == kinds.size());
            List<LiveConnection> open = held(account);
            clients.forEach(LiveClient::close);
            // an SSE client that went away is noticed when a write to it fails: live events to its topic
            String[] roles = {"viewer", "developer"};
            int[] changes = {0};
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                new Api(port).patch("/api/v1/auth/users/" + account.id() + "/role",
                                    Map.of("role", roles[changes[0]++ % 2]));
                return held(account).isEmpty();
            });
            assertThat(open).allMatch(LiveConnection::isClosed).allMatch(connection -> connection.topics().isEmpty());
        });
    }

    private List<LiveConnection> held(Account account) {
        return hub.connections().stream().filter(connection -> account.id().equals(connection.user().id())).toList();
    }

    @Test
    void everyConnectedWebSocketClientReceivesEveryBroadcast() {
        // Property 48: Broadcast Message Delivery
        Api admin = new Api(port);
        List<Account> accounts = List.of(Accounts.create(port, "viewer"), Accounts.create(port, "developer"),
                                         Accounts.create(port, "admin"));
        qt().withExamples(8).forAll(integers().between(1, 3),
                                    strings().betweenCodePoints(0x20, 0x2FFF).ofLengthBetween(1, 300)
                                             .assuming(text -> !text.isBlank()))
            .checkAssert((count, message) -> {
                List<LiveClient> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < count; i++) {
                        LiveClient client = LiveClient.webSocket(port, accounts.get(i).accessToken());
                        client.awaitType("authenticated", WAIT);
                        clients.add(client);
                    }
                    Api.Response sent = admin.post("/api/v1/admin/broadcast", Map.of("message", message,
                                                                                   "severity", "warning"));
                    assertThat(sent.status()).as(sent.text()).isEqualTo(202);
                    String id = sent.json().get("broadcast_id").asText();
                    for (LiveClient client : clients) {
                        JsonNode broadcast = client.await(received -> id.equals(received.at("/payload/broadcast_id")
                                                                                        .asText()), WAIT);
                        assertThat(broadcast.get("type").asText()).isEqualTo("BroadcastSent");
                        assertThat(broadcast.get("topic").asText()).isEqualTo("admin:broadcast");
                        assertThat(broadcast.at("/payload/message").asText()).isEqualTo(message);
                    }
                } finally {
                    clients.forEach(LiveClient::close);
                }
            });
    }
}
