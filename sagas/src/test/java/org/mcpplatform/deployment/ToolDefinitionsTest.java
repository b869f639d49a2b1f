package org.mcpplatform.deployment;

import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.mcpplatform.common.CanonicalJson;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToolDefinitionsTest {

    @Test
    void theDefinitionIsNameDescriptionAndInputSchemaAsCanonicalJson() {
        McpSchema.Tool echo = tool("echo", "Echoes back", Map.of("message", Map.of("type", "string")));

        ToolFingerprint fingerprint = ToolDefinitions.fingerprints(List.of(echo)).get(0);

        assertThat(fingerprint.name()).isEqualTo("echo");
        assertThat(CanonicalJson.canonical(fingerprint.definition())).isEqualTo(
                "{\"description\":\"Echoes back\",\"inputSchema\":{\"properties\":{\"message\":{\"type\":\"string\"}},"
                        + "\"required\":[\"message\"],\"type\":\"object\"},\"name\":\"echo\"}");
        assertThat(fingerprint.fingerprint()).isEqualTo(
                CanonicalJson.digest(fingerprint.definition()));
        assertThat(fingerprint.fingerprint()).hasSize(64);
    }

    @Test
    void memberOrderDoesNotChangeTheFingerprintButAnyContentDoes() {
        var a = new java.util.LinkedHashMap<String, Object>();
        a.put("x", Map.of("type", "string"));
        a.put("y", Map.of("type", "number"));
        var b = new java.util.LinkedHashMap<String, Object>();
        b.put("y", Map.of("type", "number"));
        b.put("x", Map.of("type", "string"));

        String first = ToolDefinitions.fingerprints(List.of(tool("t", "d", a))).get(0).fingerprint();
        String reordered = ToolDefinitions.fingerprints(List.of(tool("t", "d", b))).get(0).fingerprint();
        String redescribed = ToolDefinitions.fingerprints(List.of(tool("t", "d!", a))).get(0).fingerprint();

        assertThat(reordered).isEqualTo(first);
        assertThat(redescribed).isNotEqualTo(first);
    }

    private static McpSchema.Tool tool(String name, String description, Map<String, Object> properties) {
        return McpSchema.Tool.builder().name(name).description(description)
                             .inputSchema(new McpSchema.JsonSchema("object", properties,
                                                                   properties.keySet().stream().sorted().limit(1).toList(),
                                                                   null, null, null))
                             .build();
    }
}
