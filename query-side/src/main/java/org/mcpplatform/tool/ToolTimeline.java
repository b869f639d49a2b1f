package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import org.axonframework.eventhandling.DomainEventMessage;
import org.mcpplatform.identity.ActorMetaData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A tool's event stream read as a sequence of states: what the tool was after each of its events. The history
 * endpoint lists the steps; the as-of endpoint takes the last step at or before an instant.
 */
final class ToolTimeline {

    /** Patches of add/remove/replace only: plain to read, and any RFC 6902 implementation applies them. */
    private static final EnumSet<DiffFlags> DIFF_FLAGS =
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

    record Step(long revision, ToolEvent event, String changedBy, Instant at, ToolView state) {
    }

    private final List<Step> steps = new ArrayList<>();

    static ToolTimeline of(Iterable<? extends DomainEventMessage<?>> events) {
        ToolTimeline timeline = new ToolTimeline();
        ToolView state = null;
        for (DomainEventMessage<?> message : events) {
            if (!(message.getPayload() instanceof ToolEvent event)) {
                continue;
            }
            long revision = message.getSequenceNumber() + 1;
            Instant at = message.getTimestamp();
            state = apply(state, event, revision, at);
            Object actor = message.getMetaData().get(ActorMetaData.USER_ID);
            timeline.steps.add(new Step(revision, event, actor == null ? null : actor.toString(), at, state));
        }
        return timeline;
    }

    private static ToolView apply(ToolView before, ToolEvent event, long revision, Instant at) {
        if (event instanceof ToolRegistered e) {
            return new ToolView(e.toolId(), e.name(), e.slug(), e.description(), e.version(), e.config(),
                                e.authorId(), e.status(), at, at, null, revision);
        }
        if (before == null) {
            throw new IllegalStateException("tool " + event.toolId() + " has events before its registration");
        }
        String name = before.name();
        String description = before.description();
        String version = before.version();
        ToolStatus status = before.status();
        Instant deletedAt = before.deletedAt();
        if (event instanceof ToolUpdated e) {
            name = e.name();
            description = e.description();
            version = e.version();
        } else if (event instanceof ToolStatusChanged e) {
            status = e.to();
        } else if (event instanceof ToolDeleted) {
            deletedAt = at;
        }
        return new ToolView(before.id(), name, before.slug(), description, version, event.configAfter(before.config()),
                            before.authorId(), status, before.createdAt(), at, deletedAt, revision);
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The tool as it was at {@code instant}, or null if it did not exist yet. */
    ToolView stateAt(Instant instant) {
        ToolView state = null;
        for (Step step : steps) {
            if (step.at().isAfter(instant)) {
                break;
            }
            state = step.state();
        }
        return state;
    }

    List<ToolHistoryEntry> history(ObjectMapper json) {
        List<ToolHistoryEntry> entries = new ArrayList<>(steps.size());
        JsonNode previous = null;
        for (Step step : steps) {
            JsonNode config = step.state().config();
            entries.add(new ToolHistoryEntry(step.revision(), step.state().version(), step.event().changeType(),
                                             step.changedBy(), step.at(), config, diff(json, previous, config)));
            previous = config;
        }
        return entries;
    }

    private static JsonNode diff(ObjectMapper json, JsonNode previous, JsonNode next) {
        if (previous == null) {
            // the first config has no predecessor: one operation that adds the whole document
            ArrayNode patch = json.createArrayNode();
            patch.addObject().put("op", "add").put("path", "").set("value", next);
            return patch;
        }
        return JsonDiff.asJson(previous, next, DIFF_FLAGS);
    }
}
