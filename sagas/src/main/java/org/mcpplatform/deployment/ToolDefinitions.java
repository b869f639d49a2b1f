package org.mcpplatform.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
            fingerprints.add(new ToolFingerprint(tool.name(), sha256(canonical(definition)), definition));
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

    /** The value with object members sorted by name, written without whitespace. */
    static String canonical(JsonNode value) {
        try {
            return JSON.writeValueAsString(sorted(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree cannot be written: " + e.getMessage(), e);
        }
    }

    private static JsonNode sorted(JsonNode value) {
        if (value.isObject()) {
            TreeMap<String, JsonNode> members = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                members.put(member.getKey(), sorted(member.getValue()));
            }
            ObjectNode result = JSON.createObjectNode();
            members.forEach(result::set);
            return result;
        }
        if (value.isArray()) {
            var result = JSON.createArrayNode();
            value.forEach(element -> result.add(sorted(element)));
            return result;
        }
        return value;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
