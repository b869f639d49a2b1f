package org.mcpplatform.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mcpplatform.common.DomainException;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.security.TokenAuthentication;
import org.mcpplatform.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * {@code /ws}: a client authenticates (the {@code bearer, <token>} subprotocol at the handshake, or a first message
 * {@code {"action":"auth","token":"..."}} within {@code mcp.live.auth-timeout}), then subscribes to topics and receives
 * every event of them it may read. Nothing but an auth message is accepted before authentication (Property 44).
 */
public class LiveWebSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(LiveWebSocketHandler.class);
    static final String VERIFIED = "mcp.live.verified";
    static final String CLIENT_ADDRESS = "mcp.live.client-address";
    private static final String CONNECTION = "mcp.live.connection";
    private static final int MAX_TOPICS = 200;

    private final LiveHub hub;
    private final TopicAccess access;
    private final TokenAuthentication authentication;
    private final ObjectMapper json;
    private final LiveProperties properties;
    private final Executor senders;
    private final TaskScheduler scheduler;

    public LiveWebSocketHandler(LiveHub hub, TopicAccess access, TokenAuthentication authentication, ObjectMapper json,
                                LiveProperties properties, Executor senders, TaskScheduler scheduler) {
        this.hub = hub;
        this.access = access;
        this.authentication = authentication;
        this.json = json;
        this.properties = properties;
        this.senders = senders;
        this.scheduler = scheduler;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        WebSocketConnection connection = new WebSocketConnection(
                session, (String) session.getAttributes().get(CLIENT_ADDRESS), senders,
                properties.sendBuffer().toBytes(), properties.sendTimeout());
        session.getAttributes().put(CONNECTION, connection);
        Object verified = session.getAttributes().remove(VERIFIED);
        if (verified instanceof TokenAuthentication.Verified credential) {
            admit(connection, credential);
            return;
        }
        connection.authTimeout(scheduler.schedule(() -> {
            if (!connection.authenticated()) {
                connection.close("authentication required within " + properties.authTimeout().toSeconds() + " s",
                                 true);
            }
        }, Instant.now().plus(properties.authTimeout())));
    }

    private void admit(WebSocketConnection connection, TokenAuthentication.Verified credential) {
        connection.cancelAuthTimeout();
        connection.authenticated(credential.user());
        connection.credentialExpiresAt(credential.expiresAt());
        try {
            hub.join(connection);
        } catch (ForbiddenException tooMany) {
            reply(connection, error("FORBIDDEN", tooMany.getMessage(), Map.of()));
            connection.closeAfterSending("too many connections");
            return;
        }
        // every connection hears the administrators' broadcasts (Property 48)
        connection.topics().add(Topic.BROADCAST);
        ObjectNode welcome = json.createObjectNode();
        welcome.put("type", "authenticated");
        welcome.put("connection_id", connection.connectionId());
        welcome.put("user_id", credential.user().id());
        welcome.put("role", credential.user().role().value());
        if (credential.expiresAt() != null) {
            welcome.put("expires_at", credential.expiresAt().toString());
        }
        welcome.set("topics", json.valueToTree(topicNames(connection.topics())));
        reply(connection, welcome);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        WebSocketConnection connection = (WebSocketConnection) session.getAttributes().get(CONNECTION);
        if (connection == null || connection.isClosed()) {
            return;
        }
        JsonNode request;
        try {
            request = json.readTree(message.getPayload());
        } catch (JsonProcessingException e) {
            reply(connection, error("INVALID_MESSAGE", "Messages are JSON objects with an \"action\"", Map.of()));
            return;
        }
        String action = request == null ? "" : request.path("action").asText("");
        if (action.equals("auth")) {
            authenticate(connection, request.path("token").asText(null));
            return;
        }
        if (!connection.authenticated()) {
            reply(connection, error("UNAUTHORIZED", "Authenticate first: {\"action\":\"auth\",\"token\":\"...\"}",
                                    Map.of()));
            return;
        }
        switch (action) {
            case "subscribe" -> subscribe(connection, request.path("topics"));
            case "unsubscribe" -> unsubscribe(connection, request.path("topics"));
            case "ping" -> reply(connection, json.createObjectNode().put("type", "pong")
                                                 .put("timestamp", Instant.now().toString()));
            default -> reply(connection, error("INVALID_MESSAGE", "Unknown action '" + action
                    + "': auth, subscribe, unsubscribe or ping", Map.of()));
        }
    }

    private void authenticate(WebSocketConnection connection, String token) {
        Optional<TokenAuthentication.Verified> verified = authentication.verify(token, connection.clientAddress());
        if (verified.isEmpty()) {
            reply(connection, error("UNAUTHORIZED", "The access token or API key is invalid, expired or revoked",
                                    Map.of()));
            connection.closeAfterSending("authentication failed");
            return;
        }
        if (connection.authenticated()) {
            // a fresh token for the same user extends the connection past the old token's expiry
            if (!connection.user().id().equals(verified.get().user().id())) {
                reply(connection, error("FORBIDDEN", "A connection stays with the user it was opened by", Map.of()));
                return;
            }
            connection.authenticated(verified.get().user());
            connection.credentialExpiresAt(verified.get().expiresAt());
            reply(connection, json.createObjectNode().put("type", "authenticated")
                                  .put("connection_id", connection.connectionId())
                                  .put("user_id", verified.get().user().id()));
            return;
        }
        admit(connection, verified.get());
    }

    private void subscribe(WebSocketConnection connection, JsonNode names) {
        Optional<List<Topic>> topics = topics(connection, names);
        if (topics.isEmpty()) {
            return;
        }
        Map<String, Object> refused = new LinkedHashMap<>();
        for (Topic topic : topics.get()) {
            try {
                access.checkSubscription(connection.user(), topic);
            } catch (DomainException refusal) {
                refused.put(topic.toString(), refusal.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            reply(connection, error("FORBIDDEN", "Not subscribed: you may not follow every topic asked for",
                                    Map.of("topics", refused)));
            return;
        }
        if (connection.topics().size() + topics.get().size() > MAX_TOPICS) {
            reply(connection, error("VALIDATION_ERROR", "A connection follows at most " + MAX_TOPICS + " topics",
                                    Map.of()));
            return;
        }
        connection.topics().addAll(topics.get());
        ObjectNode answer = json.createObjectNode().put("type", "subscribed");
        answer.set("topics", json.valueToTree(topicNames(connection.topics())));
        reply(connection, answer);
    }

    private void unsubscribe(WebSocketConnection connection, JsonNode names) {
        Optional<List<Topic>> topics = topics(connection, names);
        if (topics.isEmpty()) {
            return;
        }
        topics.get().forEach(connection.topics()::remove);
        ObjectNode answer = json.createObjectNode().put("type", "unsubscribed");
        answer.set("topics", json.valueToTree(topicNames(connection.topics())));
        reply(connection, answer);
    }

    private Optional<List<Topic>> topics(WebSocketConnection connection, JsonNode names) {
        if (!names.isArray() || names.isEmpty() || names.size() > MAX_TOPICS) {
            reply(connection, error("VALIDATION_ERROR", "\"topics\" must be a list of 1 to " + MAX_TOPICS
                    + " topics: tool:{id}, tools, deployment:{id}, task:{id}, user:{id}, admin:broadcast", Map.of()));
            return Optional.empty();
        }
        List<Topic> topics = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (JsonNode name : names) {
            Optional<Topic> topic = name.isTextual() ? Topic.parse(name.asText()) : Optional.empty();
            topic.ifPresentOrElse(topics::add, () -> invalid.add(name.toString()));
        }
        if (!invalid.isEmpty()) {
            reply(connection, error("VALIDATION_ERROR", "Unknown topics: tool:{id}, tools, deployment:{id}, "
                    + "task:{id}, user:{id} or admin:broadcast", Map.of("invalid", invalid)));
            return Optional.empty();
        }
        return Optional.of(topics);
    }

    private static List<String> topicNames(Set<Topic> topics) {
        Set<String> names = new LinkedHashSet<>();
        topics.forEach(topic -> names.add(topic.toString()));
        return names.stream().sorted().toList();
    }

    private JsonNode error(String code, String message, Map<String, Object> details) {
        ObjectNode error = json.createObjectNode().put("type", "error");
        error.set("error", json.valueToTree(ApiError.of(code, message, details, null).error()));
        return error;
    }

    private void reply(LiveConnection connection, JsonNode message) {
        if (message.get("error") instanceof ObjectNode error) {
            // an error on the socket is traced by its connection, as an HTTP error by its request
            error.put("request_id", connection.connectionId());
        }
        try {
            connection.send(new LiveConnection.Outgoing(json.writeValueAsString(message), null, false));
        } catch (JsonProcessingException e) {
            log.error("Cannot write a WebSocket reply", e);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("WebSocket transport error: {}", exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Object connection = session.getAttributes().remove(CONNECTION);
        if (connection instanceof WebSocketConnection live) {
            live.cancelAuthTimeout();
            if (live.authenticated()) {
                hub.leave(live);
            } else {
                live.onClosed();
            }
        }
    }
}
