package org.mcpplatform.tool;

/** The body of POST /api/v1/mcps/{id}/revert: the history version whose config to restore. */
public record RevertToolRequest(Long version) {
}
