package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;

/** The body of POST /api/v1/mcps (the seed's MCPToolCreate); the rules are checked by the command side. */
public record RegisterToolRequest(String name, String slug, String description, String version, JsonNode config) {
}
