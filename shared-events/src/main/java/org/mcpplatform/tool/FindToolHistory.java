package org.mcpplatform.tool;

/** Every change of a tool in order, read from the event store; answers for deleted tools too. */
public record FindToolHistory(String toolId) {
}
