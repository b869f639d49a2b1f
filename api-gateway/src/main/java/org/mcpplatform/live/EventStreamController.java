package org.mcpplatform.live;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.security.TokenAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/v1/events?topics=...}: the live events of the topics as server-sent events. Each event's {@code id:}
 * is its position in the event store; a client that reconnects with {@code Last-Event-ID} (or {@code last_event_id})
 * first receives every event after that position from the event store, then the live ones, without a gap or a repeat.
 * {@code Last-Event-ID: 0} means from the first event.
 */
@RestController
@Tag(name = "Live events")
public class EventStreamController {

    private static final Logger log = LoggerFactory.getLogger(EventStreamController.class);

    private final LiveHub hub;
    private final TopicAccess access;
    private final LiveEvents events;
    private final EventStore eventStore;
    private final LiveProperties properties;
    private final Executor senders;

    public EventStreamController(LiveHub hub, TopicAccess access, LiveEvents events, EventStore eventStore,
                                 LiveProperties properties, LiveSenders senders) {
        this.hub = hub;
        this.access = access;
        this.events = events;
        this.eventStore = eventStore;
        this.properties = properties;
        this.senders = senders;
    }

    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow live events (SSE)", description = "topics: comma-separated tool:{id}, tools, "
            + "deployment:{id}, task:{id}, user:{id}, admin:broadcast. Each message is {type, topic, event_id, "
            + "position, timestamp, payload}; the SSE id is the event's position. Resume with Last-Event-ID")
    public SseEmitter stream(@AuthenticationPrincipal PlatformUser user,
                             @RequestAttribute(name = TokenAuthentication.CREDENTIAL_EXPIRES_AT, required = false)
                             Instant credentialExpiresAt,
                             @RequestParam(required = false) String topics,
                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                             @RequestParam(name = "last_event_id", required = false) String lastEventIdParameter) {
        List<Topic> followed = topics(topics);
        followed.forEach(topic -> access.checkSubscription(user, topic));
        Long resumeAfter = position(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParameter);

        SseEmitter emitter = new SseEmitter(0L);
        SseConnection connection = new SseConnection(emitter, senders, properties.sendBuffer().toBytes());
        connection.authenticated(user);
        connection.credentialExpiresAt(credentialExpiresAt);
        connection.topics().addAll(followed);
        emitter.onCompletion(() -> hub.leave(connection));
        emitter.onError(failure -> hub.leave(connection));
        emitter.onTimeout(() -> hub.leave(connection));
        if (resumeAfter != null) {
            connection.holdLiveEvents();
        }
        hub.join(connection);
        // the response (its status and headers) goes out at once, not with the first event
        connection.send(new LiveConnection.Outgoing(null, null, true));
        if (resumeAfter != null) {
            senders.execute(() -> catchUp(connection, resumeAfter));
        }
        return emitter;
    }

    /** Sends the stored events after {@code position}, then hands over to live delivery. */
    private void catchUp(SseConnection connection, long position) {
        TrackingToken from = position <= 0 ? null : GapAwareTrackingToken.newInstance(position, Set.of());
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(from)) {
            while (!connection.isClosed() && stream.hasNextAvailable()) {
                TrackedEventMessage<?> stored = stream.nextAvailable();
                var event = events.of(stored);
                if (event.isPresent()) {
                    connection.caughtUp(event.get().eventId());
                    hub.deliverTo(connection, event.get());
                    connection.awaitRoom();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close("interrupted", false);
            return;
        } catch (RuntimeException e) {
            log.warn("Catching up an event stream from position {} failed", position, e);
            connection.close("catching up failed", false);
            return;
        }
        hub.goLive(connection);
    }

    private static List<Topic> topics(String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(List.of(new Violation("topics", "required: a comma-separated list of "
                    + "tool:{id}, tools, deployment:{id}, task:{id}, user:{id}, admin:broadcast")));
        }
        List<Topic> topics = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (String name : text.split(",")) {
            Topic.parse(name).ifPresentOrElse(topics::add, () -> violations.add(
                    new Violation("topics", "unknown topic '" + name.strip() + "'")));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        if (topics.size() > 200) {
            throw new ValidationException(List.of(new Violation("topics", "at most 200 topics")));
        }
        return topics;
    }

    private static Long position(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long position = Long.parseLong(text.strip());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ValidationException(List.of(new Violation("Last-Event-ID",
                                                            "an event position: a whole number, 0 or more")));
    }
}
