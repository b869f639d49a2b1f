package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import org.mcpplatform.common.CanonicalJson;

import java.util.ArrayList;
import java.util.List;

/**
 * A tool listing as the deployment pins it: each tool's definition (name, description, inputSchema) and the SHA-256 of
 * that definition as canonical JSON (object members sorted by name at every depth, no whitespace), so that a server
 * that lists the same tools with members in another order is not taken for a changed one.
 */
public final class ToolDefinitions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolDefinitions() {
    }

    public static List<ToolFingerprint> fingerprints(List<McpSchema.Tool> tools) {
        List<ToolFingerprint> fingerprints = new ArrayList<>(tools.size());
        for (McpSchema.Tool tool : tools) {
            JsonNode definition = definition(tool);
            fingerprints.add(new ToolFingerprint(tool.name(), CanonicalJson.digest(definition), definition));
        }
        return fingerprints;
    }

    /** What of a tool a client relies on when it decides to call it. */
    static JsonNode definition(McpSchema.Tool tool) {
        ObjectNode definition = JSON.createObjectNode();
        definition.put("name", tool.name());
        if (tool.description() != null) {
            definition.put("description", tool.description());
        }
        definition.set("inputSchema", tool.inputSchema() == null ? JSON.nullNode() : JSON.valueToTree(tool.inputSchema()));
        return definition;
    }
}
