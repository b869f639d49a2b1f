package org.mcpplatform.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.mcpplatform.broadcast.BroadcastSent;
import org.mcpplatform.deployment.DeploymentEvent;
import org.mcpplatform.identity.UserEvent;
import org.mcpplatform.tool.ToolEvent;

import java.util.List;
import java.util.Optional;

/** Turns stored events into what live subscribers receive, with the topics each belongs to. */
public class LiveEvents {

    private final ObjectMapper json;

    public LiveEvents(ObjectMapper json) {
        this.json = json;
    }

    /** The topics of an event, most specific first; empty for events no subscriber follows. */
    static List<String> topicsOf(Object payload) {
        if (payload instanceof ToolEvent tool) {
            return List.of(Topic.tool(tool.toolId()).toString(), Topic.TOOLS.toString());
        }
        if (payload instanceof DeploymentEvent deployment) {
            return List.of(Topic.deployment(deployment.deploymentId()).toString(),
                           Topic.task(deployment.deploymentId()).toString());
        }
        if (payload instanceof UserEvent user) {
            return List.of(Topic.user(user.userId()).toString());
        }
        if (payload instanceof BroadcastSent) {
            return List.of(Topic.BROADCAST.toString());
        }
        return List.of();
    }

    public Optional<LiveEvent> of(EventMessage<?> event, TrackingToken token) {
        Object payload = event.getPayload();
        List<String> topics = topicsOf(payload);
        if (topics.isEmpty()) {
            return Optional.empty();
        }
        Long position = token == null ? null : token.position().stream().boxed().findFirst().orElse(null);
        return Optional.of(new LiveEvent(event.getPayloadType().getSimpleName(), topics, event.getIdentifier(),
                                         position, event.getTimestamp(), json.valueToTree(payload)));
    }

    public Optional<LiveEvent> of(TrackedEventMessage<?> event) {
        return of(event, event.trackingToken());
    }
}
