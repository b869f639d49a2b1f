package org.mcpplatform.tool;

/** The current state of a tool that is not deleted. */
public record FindToolById(String toolId) {
}
