package org.mcpplatform.live;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Accounts.Account;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.LiveClient;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/** WebSocket /ws and SSE /api/v1/events against the running platform (RabbitMQ fan-out). */
@PlatformTest
class LiveEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;
    @Autowired
    LiveHub hub;

    private String registerTool(Api api) {
        Api.Response created = api.post("/api/v1/mcps", registration(uniqueSlug("live")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static JsonNode subscribe(LiveClient client, String... topics) {
        client.send(Map.of("action", "subscribe", "topics", List.of(topics)));
        return client.await(message -> List.of("subscribed", "error").contains(message.path("type").asText()),
                            WAIT);
    }

    @Test
    void aSubscriberOfAToolReceivesToolUpdatedWithinOneSecondOfThePatch() {
        Api api = new Api(port);
        String toolId = registerTool(api);
        try (LiveClient client = LiveClient.webSocket(port, api.adminToken())) {
            assertThat(client.subprotocol()).isEqualTo("bearer");
            assertThat(client.awaitType("authenticated", WAIT).get("user_id").asText()).isNotBlank();
            assertThat(subscribe(client, "tool:" + toolId).path("type").asText()).isEqualTo("subscribed");

            assertThat(api.patch("/api/v1/mcps/" + toolId, "{\"version\":\"2.0.0\"}").status()).isEqualTo(200);
            JsonNode updated = client.await(message -> "ToolUpdated".equals(message.path("type").asText()),
                                            Duration.ofSeconds(1));
            assertThat(updated.get("topic").asText()).isEqualTo("tool:" + toolId);
            assertThat(updated.get("payload").get("tool_id").asText()).isEqualTo(toolId);
            assertThat(updated.get("event_id").asText()).isNotBlank();
            assertThat(updated.get("position").asLong()).isPositive();
            assertThat(updated.get("timestamp").asText()).isNotBlank();
        }
    }

    @Test
    void aHandshakeWithABadTokenIsRefusedAndAnAnonymousSocketIsClosedUnheard() throws Exception {
        assertThatThrownBy(() -> LiveClient.webSocket(port, "not-a-token"))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));
        assertThatThrownBy(() -> LiveClient.webSocket(port, List.of("bearer")))
                .hasCauseInstanceOf(WebSocketHandshakeException.class);

        Api api = new Api(port);
        try (LiveClient anonymous = LiveClient.webSocket(port, List.of())) {
            anonymous.send(Map.of("action", "subscribe", "topics", List.of("tools")));
            assertThat(anonymous.awaitType("error", WAIT).at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            registerTool(api);
            // closed after the authentication deadline (5 s), having received nothing but the error
            String closed = anonymous.closed().get(8, TimeUnit.SECONDS);
            assertThat(closed).startsWith("1008");
            assertThat(anonymous.drain(Duration.ofMillis(100))).isEmpty();
        }
    }

    @Test
    void aClientMayAuthenticateByItsFirstMessage() {
        Api api = new Api(port);
        try (LiveClient client = LiveClient.webSocket(port, List.of())) {
            assertThat(client.subprotocol()).isEmpty();
            client.send(Map.of("action", "auth", "token", api.adminToken()));
            client.awaitType("authenticated", WAIT);
            subscribe(client, "tools");
            String toolId = registerTool(api);
            JsonNode registered = client.await(message -> "ToolRegistered".equals(message.path("type").asText())
                    && toolId.equals(message.at("/payload/tool_id").asText()), WAIT);
            assertThat(registered.get("topic").asText()).isEqualTo("tools");
        }
    }

    @Test
    void aWrongTokenInTheFirstMessageClosesTheSocket() throws Exception {
        try (LiveClient client = LiveClient.webSocket(port, List.of())) {
            client.send(Map.of("action", "auth", "token", "eyJhbGciOiJub25lIn0.e30."));
            assertThat(client.awaitType("error", WAIT).at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(client.closed().get(5, TimeUnit.SECONDS)).startsWith("1008");
        }
    }

    @Test
    void aViewerCannotFollowAnotherUsersPrivateTopics() {
        Account viewer = Accounts.create(port, "viewer");
        Account other = Accounts.create(port, "developer");
        try (LiveClient client = LiveClient.webSocket(port, viewer.accessToken())) {
            client.awaitType("authenticated", WAIT);
            JsonNode refused = subscribe(client, "user:" + other.id());
            assertThat(refused.at("/error/code").asText()).isEqualTo("FORBIDDEN");
            assertThat(refused.at("/error/details/topics").has("user:" + other.id())).isTrue();
            assertThat(subscribe(client, "deployment:0b9f3c8e-0000-4000-8000-000000000000")
                               .at("/error/code").asText()).isEqualTo("FORBIDDEN");
            assertThat(subscribe(client, "user:" + viewer.id(), "tools").path("type").asText())
                    .isEqualTo("subscribed");
            // the refused topics were not subscribed: a change to the other account is not heard
            assertThat(new Api(port).patch("/api/v1/auth/users/" + other.id() + "/role", Map.of("role", "viewer"))
                               .status()).isEqualTo(200);
            JsonNode nothing = client.drain(Duration.ofMillis(700)).stream()
                                     .filter(message -> "RoleChanged".equals(message.path("type").asText()))
                                     .findAny().orElse(null);
            assertThat(nothing).isNull();
        }
        try (LiveClient owner = LiveClient.webSocket(port, other.accessToken())) {
            owner.awaitType("authenticated", WAIT);
            assertThat(subscribe(owner, "user:" + other.id()).path("type").asText()).isEqualTo("subscribed");
        }
    }

    @Test
    void unknownTopicsAndActionsAreAnsweredWithErrors() {
        try (LiveClient client = LiveClient.webSocket(port, new Api(port).adminToken())) {
            client.awaitType("authenticated", WAIT);
            assertThat(subscribe(client, "tool:", "everything").at("/error/code").asText())
                    .isEqualTo("VALIDATION_ERROR");
            client.send("{not json");
            JsonNode invalid = client.awaitType("error", WAIT);
            assertThat(invalid.at("/error/code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(invalid.at("/error/request_id").asText()).isNotBlank();
            assertThat(invalid.at("/error/timestamp").asText()).isNotBlank();
            client.send(Map.of("action", "dance"));
            assertThat(client.awaitType("error", WAIT).at("/error/message").asText()).contains("dance");
            client.send(Map.of("action", "ping"));
            client.awaitType("pong", WAIT);
        }
    }

    @Test
    void anSseClientResumesWithLastEventIdAndReceivesExactlyTheChangesItMissed() {
        Api api = new Api(port);
        String toolId = registerTool(api);
        String token = api.adminToken();
        String lastSeen;
        try (LiveClient first = LiveClient.sse(port, token, "tool:" + toolId, null)) {
            assertThat(api.patch("/api/v1/mcps/" + toolId, "{\"version\":\"1.0.1\"}").status()).isEqualTo(200);
            first.await(message -> "ToolUpdated".equals(message.path("type").asText()), WAIT);
            lastSeen = first.sseIds().get(first.sseIds().size() - 1);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(api.patch("/api/v1/mcps/" + toolId, "{\"version\":\"1.1." + i + "\"}").status())
                    .isEqualTo(200);
        }
        try (LiveClient resumed = LiveClient.sse(port, token, "tool:" + toolId, lastSeen)) {
            for (int i = 0; i < 10; i++) {
                JsonNode event = resumed.await(message -> true, WAIT);
                assertThat(event.get("type").asText()).isEqualTo("ToolUpdated");
                assertThat(event.at("/payload/version").asText()).isEqualTo("1.1." + i);
            }
            assertThat(resumed.drain(Duration.ofMillis(500))).as("nothing twice, nothing else").isEmpty();
            List<String> ids = resumed.sseIds();
            assertThat(ids).hasSize(10).doesNotContainNull();
            assertThat(ids.stream().map(Long::parseLong).toList()).isSorted()
                                                                  .allMatch(id -> id > Long.parseLong(lastSeen));
            // then it goes on live
            assertThat(api.patch("/api/v1/mcps/" + toolId, "{\"version\":\"1.2.0\"}").status()).isEqualTo(200);
            assertThat(resumed.await(message -> true, WAIT).at("/payload/version").asText()).isEqualTo("1.2.0");
        }
    }

    @Test
    void lastEventIdZeroReplaysFromTheFirstEvent() {
        Api api = new Api(port);
        String toolId = registerTool(api);
        try (LiveClient client = LiveClient.sse(port, api.adminToken(), "tool:" + toolId, "0")) {
            JsonNode first = client.await(message -> true, WAIT);
            assertThat(first.get("type").asText()).isEqualTo("ToolRegistered");
            assertThat(first.at("/payload/tool_id").asText()).isEqualTo(toolId);
        }
    }

    @Test
    void badSseRequestsAreRefusedInTheErrorFormat() {
        Account viewer = Accounts.create(port, "viewer");
        assertThatThrownBy(() -> LiveClient.sse(port, viewer.accessToken(), "nonsense", null))
                .isInstanceOfSatisfying(LiveClient.SseRefused.class, refused -> {
                    assertThat(refused.status).isEqualTo(422);
                    assertThat(refused.body).contains("\"error\"").contains("topics");
                });
        assertThatThrownBy(() -> LiveClient.sse(port, viewer.accessToken(), "tools", "-3"))
                .isInstanceOfSatisfying(LiveClient.SseRefused.class, refused -> assertThat(refused.status)
                        .isEqualTo(422));
        assertThatThrownBy(() -> LiveClient.sse(port, viewer.accessToken(), "user:someone-else", null))
                .isInstanceOfSatisfying(LiveClient.SseRefused.class, refused -> assertThat(refused.status)
                        .isEqualTo(403));
        assertThatThrownBy(() -> LiveClient.sse(port, "wrong", "tools", null))
                .isInstanceOfSatisfying(LiveClient.SseRefused.class, refused -> assertThat(refused.status)
                        .isEqualTo(401));
    }

    @Test
    void operatorNoticesReachAdministratorsOnly(@Autowired org.springframework.context.ApplicationEventPublisher events) {
        Account developer = Accounts.create(port, "developer");
        try (LiveClient admin = LiveClient.webSocket(port, new Api(port).adminToken());
             LiveClient other = LiveClient.webSocket(port, developer.accessToken())) {
            admin.awaitType("authenticated", WAIT);
            other.awaitType("authenticated", WAIT);
            events.publishEvent(new AdminNotice("ProjectionRebuildProgress", Map.of("processor", "tool-projection",
                                                                                    "done", 5, "total", 10)));
            JsonNode notice = admin.awaitType("ProjectionRebuildProgress", WAIT);
            assertThat(notice.get("topic").asText()).isEqualTo("admin:broadcast");
            assertThat(notice.at("/payload/done").asInt()).isEqualTo(5);
            assertThat(other.drain(Duration.ofMillis(500)))
                    .noneMatch(message -> "ProjectionRebuildProgress".equals(message.path("type").asText()));
        }
    }

    @Test
    void onlyAdministratorsBroadcastAndBadBroadcastsAre422() {
        Account developer = Accounts.create(port, "developer");
        assertThat(developer.api().post("/api/v1/admin/broadcast", Map.of("message", "hi")).status()).isEqualTo(403);
        Api.Response empty = new Api(port).post("/api/v1/admin/broadcast", Map.of("message", " ",
                                                                                 "severity", "loud"));
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().at("/error/details/errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("message", "severity");
        assertThat(Api.anonymous(port).post("/api/v1/admin/broadcast", Map.of("message", "hi")).status())
                .isEqualTo(401);
    }

    @Test
    void aClientThatDoesNotReadIsCutOffWithoutHoldingUpTheOthers(
            @Autowired org.springframework.context.ApplicationEventPublisher events) throws Exception {
        Account stuckAdmin = Accounts.create(port, "admin");
        try (java.net.Socket stuck = new java.net.Socket("127.0.0.1", port);
             LiveClient reader = LiveClient.webSocket(port, new Api(port).adminToken())) {
            reader.awaitType("authenticated", WAIT);
            // a raw handshake, after which this client never reads a byte
            stuck.setReceiveBufferSize(4096);
            stuck.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: bearer, " + stuckAdmin.accessToken()
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stuck.getOutputStream().flush();
            await().atMost(WAIT).until(() -> hub.connections().stream()
                                               .anyMatch(c -> stuckAdmin.id().equals(c.user().id())));

            String filler = "x".repeat(64 * 1024);
            int notices = 400;
            // at the pace of the reading client: it keeps up, while the other one's buffer fills
            for (int i = 0; i < notices; i++) {
                events.publishEvent(new AdminNotice("LoadTest", Map.of("sequence", i, "filler", filler)));
                JsonNode notice = reader.await(message -> "LoadTest".equals(message.path("type").asText()), WAIT);
                assertThat(notice.at("/payload/sequence").asInt()).isEqualTo(i);
            }
            await().atMost(WAIT).until(() -> hub.connections().stream()
                                               .noneMatch(c -> stuckAdmin.id().equals(c.user().id())));
        }
    }

    @Test
    void streamsEndWhenTheirAccessTokenExpiresOrTheirKeyIsRevoked(@Autowired LiveMaintenance maintenance)
            throws Exception {
        Account account = Accounts.create(port, "developer");
        JsonNode issued = account.api().post("/api/v1/auth/api-keys", Map.of("name", "live")).json();
        String key = org.mcpplatform.support.Secrets.remember(issued.get("key").asText());
        try (LiveClient sse = LiveClient.sse(port, account.accessToken(), "tools", null);
             LiveClient socket = LiveClient.webSocket(port, key)) {
            socket.awaitType("authenticated", WAIT);
            await().atMost(WAIT).until(() -> hub.connections().stream()
                                               .filter(c -> account.id().equals(c.user().id())).count() == 2);
            LiveConnection stream = hub.connections().stream()
                                       .filter(c -> account.id().equals(c.user().id()) && c.transport().equals("sse"))
                                       .findFirst().orElseThrow();
            assertThat(stream.credentialExpiresAt()).as("the access token's expiry")
                                                    .isBetween(java.time.Instant.now().plusSeconds(600),
                                                               java.time.Instant.now().plusSeconds(901));
            stream.credentialExpiresAt(java.time.Instant.now().minusSeconds(1));
            assertThat(account.api().delete("/api/v1/auth/api-keys/" + issued.get("id").asText()).status())
                    .isEqualTo(204);
            await().atMost(WAIT).untilAsserted(() -> {
                maintenance.run();
                assertThat(hub.connections()).noneMatch(c -> account.id().equals(c.user().id()));
            });
            assertThat(sse.closed().get(5, TimeUnit.SECONDS)).isEqualTo("end of stream");
            assertThat(socket.closed().get(5, TimeUnit.SECONDS)).startsWith("1008");
        }
    }
}
