package org.mcpplatform.projection;

/**
 * Published on every node, as a Spring application event, about once per {@code mcp.projection.rebuild-tick} for each
 * rebuild in progress, and once when it has ended (done or failed): what the node sees of it. Every node raises its
 * own, from the state all nodes share, so a listener sees every rebuild whichever node runs it.
 */
public record RebuildObserved(RebuildStatus status) {
}
