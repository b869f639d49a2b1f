package org.mcpplatform.broadcast;

/**
 * An administrator's message to everyone connected to the platform's live event streams. It goes through the event
 * store like every other change, so that it reaches the subscribers of every node and stays in the audit trail.
 *
 * @param severity info, warning or critical
 */
public record SendBroadcast(String broadcastId, String message, String severity) {
}
