package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.mcpplatform.common.Violation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON Schema every tool config must satisfy ({@code schema/mcp-config.schema.json}), plus its size limit.
 * Compiled once; validation is thread-safe.
 */
public final class ToolConfigSchema {

    /** Serialized (compact UTF-8) size limit of a config. */
    public static final int MAX_CONFIG_BYTES = 256 * 1024;
    private static final String LOCATION = "/schema/mcp-config.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema schema;

    public ToolConfigSchema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = ToolConfigSchema.class.getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("missing " + LOCATION + " on the classpath");
            }
            this.schema = factory.getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Violations of {@code config}, named {@code field} and below (e.g. {@code config.mcpServers.fs.command}). */
    public List<Violation> check(String field, JsonNode config) {
        List<Violation> violations = new ArrayList<>();
        int size;
        try {
            size = JSON.writeValueAsString(config).getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (size > MAX_CONFIG_BYTES) {
            violations.add(new Violation(field, "must be at most " + MAX_CONFIG_BYTES + " bytes of JSON, is " + size));
            return violations;
        }
        schema.validate(config).stream()
              .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                                .thenComparing(ValidationMessage::getMessage))
              .forEach(m -> violations.add(new Violation(fieldName(field, m), m.getMessage())));
        return violations;
    }

    /** {@code config.mcpServers.fs.args[0]}: the API's way of naming a place inside a field. */
    private static String fieldName(String field, ValidationMessage message) {
        JsonNodePath location = message.getInstanceLocation();
        StringBuilder name = new StringBuilder(field);
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                name.append('[').append(index).append(']');
            } else {
                name.append('.').append(element);
            }
        }
        return name.toString();
    }
}
