package org.mcpplatform.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.security.PlatformUser;
import org.springframework.context.event.EventListener;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's live subscribers, and the delivery of events to them. Events reach the hub from the fan-out (RabbitMQ,
 * or in-process on one node) at least once; the hub drops the ones it has already seen, by event id, and sends each
 * remaining event to every connection following one of its topics whose user may read it.
 */
public class LiveHub {

    private final Set<LiveConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final TopicAccess access;
    private final ObjectMapper json;
    private final int maxConnectionsPerUser;
    private final Map<String, Boolean> seen;
    private final Counter delivered;
    private final Counter duplicates;

    public LiveHub(TopicAccess access, ObjectMapper json, LiveProperties properties, MeterRegistry meters) {
        this.access = access;
        this.json = json;
        this.maxConnectionsPerUser = properties.maxConnectionsPerUser();
        int window = properties.dedupWindow();
        this.seen = new LinkedHashMap<>(window * 4 / 3 + 1, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > window;
            }
        };
        Gauge.builder("mcp_websocket_connections", () -> count("websocket"))
             .description("Open WebSocket connections on this node").register(meters);
        Gauge.builder("mcp_sse_connections", () -> count("sse"))
             .description("Open SSE event streams on this node").register(meters);
        this.delivered = Counter.builder("mcp_live_messages_sent").description("Live messages queued to subscribers")
                                .register(meters);
        this.duplicates = Counter.builder("mcp_live_duplicates_dropped")
                                 .description("Events delivered to this node more than once and dropped")
                                 .register(meters);
    }

    private long count(String transport) {
        return connections.stream().filter(connection -> connection.transport().equals(transport)).count();
    }

    /** Registers an authenticated connection; refused when its user already holds the most connections allowed. */
    public void join(LiveConnection connection) {
        PlatformUser user = connection.user();
        int held = perUser.merge(user.id(), 1, Integer::sum);
        if (held > maxConnectionsPerUser) {
            perUser.merge(user.id(), -1, Integer::sum);
            throw new ForbiddenException("You hold " + maxConnectionsPerUser + " live connections on this node "
                                                 + "already: close one first");
        }
        connections.add(connection);
    }

    /** Forgets a connection and everything it held (Property 47). */
    public void leave(LiveConnection connection) {
        if (connections.remove(connection)) {
            perUser.computeIfPresent(connection.user().id(), (user, held) -> held <= 1 ? null : held - 1);
        }
        connection.onClosed();
    }

    public int connectionCount() {
        return connections.size();
    }

    public Collection<LiveConnection> connections() {
        return List.copyOf(connections);
    }

    /** Delivers an event that reached this node; repeats (same event id) are dropped. */
    public void publish(LiveEvent event) {
        if (!firstDelivery(event.eventId())) {
            duplicates.increment();
            return;
        }
        Map<String, String> frames = new HashMap<>();
        for (LiveConnection connection : connections) {
            if (!connection.holdIfCatchingUp(event) && !connection.sentWhileCatchingUp(event.eventId())) {
                deliver(connection, event, frames);
            }
        }
    }

    private boolean firstDelivery(String eventId) {
        synchronized (seen) {
            return seen.put(eventId, Boolean.TRUE) == null;
        }
    }

    /** An operator's notice goes to the administrators following admin:broadcast; it is not stored anywhere. */
    @EventListener
    public void on(AdminNotice notice) {
        LiveEvent event = new LiveEvent(notice.type(), List.of(Topic.BROADCAST.toString()),
                                        UUID.randomUUID().toString(), null, Instant.now(),
                                        json.valueToTree(notice.payload()));
        Map<String, String> frames = new HashMap<>();
        for (LiveConnection connection : connections) {
            if (connection.user().isAdmin()) {
                deliver(connection, event, frames);
            }
        }
    }

    /**
     * Sends {@code event} to {@code connection} under the first of its topics the connection follows and its user may
     * read; {@code frames} caches the JSON per topic across connections. Returns whether it was sent.
     */
    boolean deliver(LiveConnection connection, LiveEvent event, Map<String, String> frames) {
        PlatformUser user = connection.user();
        if (user == null || connection.isClosed()) {
            return false;
        }
        for (String name : event.topics()) {
            Topic topic = Topic.parse(name).orElse(null);
            if (topic != null && connection.topics().contains(topic) && access.mayReceive(user, topic)) {
                String frame = frames.computeIfAbsent(name, ignored -> frame(event, name));
                delivered.increment();
                return connection.send(new LiveConnection.Outgoing(frame, event.position(), false));
            }
        }
        return false;
    }

    /** The message subscribers receive: {type, topic, event_id, position, timestamp, payload}. */
    String frame(LiveEvent event, String topic) {
        ObjectNode message = json.createObjectNode();
        message.put("type", event.type());
        message.put("topic", topic);
        message.put("event_id", event.eventId());
        if (event.position() == null) {
            message.putNull("position");
        } else {
            message.put("position", event.position());
        }
        message.put("timestamp", event.timestamp().toString());
        message.set("payload", event.payload());
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a live message", e);
        }
    }

    /** Sends one event to one connection (catching up from the event store). */
    boolean deliverTo(LiveConnection connection, LiveEvent event) {
        return deliver(connection, event, new HashMap<>());
    }

    /** Ends a connection's catching up: sends what arrived live meanwhile and was not read from the store. */
    void goLive(LiveConnection connection) {
        synchronized (connection.handOverLock()) {
            for (LiveEvent event : connection.live()) {
                deliverTo(connection, event);
            }
        }
    }
}
