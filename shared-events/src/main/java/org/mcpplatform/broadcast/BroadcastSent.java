package org.mcpplatform.broadcast;

import org.axonframework.serialization.Revision;

/** An administrator's message was sent to everyone connected (who sent it is in the event's metadata). */
@Revision("1")
public record BroadcastSent(String broadcastId, String message, String severity) {
}
