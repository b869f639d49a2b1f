package org.mcpplatform.live;

import java.util.Map;

/**
 * A message for the administrators following this node's {@code admin:broadcast} topic (a projection rebuild's
 * progress, for example). It is published as a Spring application event on the node where it arises and is not
 * stored in the event store; every node raises its own notices about state that all nodes can see (the token store).
 *
 * @param type    what the notice is about, for example {@code ProjectionRebuildProgress}
 * @param payload its content, serialised as JSON (snake_case keys)
 */
public record AdminNotice(String type, Map<String, Object> payload) {
}
