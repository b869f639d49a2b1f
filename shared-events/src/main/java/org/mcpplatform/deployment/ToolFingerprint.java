package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool as an upstream listed it: {@code definition} holds its name, description and inputSchema, and
 * {@code fingerprint} is the SHA-256 of that definition as canonical JSON.
 */
public record ToolFingerprint(String name, String fingerprint, JsonNode definition) {
}
