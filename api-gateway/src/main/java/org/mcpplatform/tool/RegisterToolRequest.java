package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of POST /api/v1/mcps (the seed's MCPToolCreate); the rules are checked by the command side.
 * <p>
 * Read from the JSON tree rather than bound by Jackson: binding stopped at the first unknown or wrongly typed field
 * (hiding every other invalid field from the 422) and turned numbers and booleans into text.
 */
public record RegisterToolRequest(String name, String slug, String description, String version, JsonNode config) {

    private static final Set<String> FIELDS = Set.of("name", "slug", "description", "version", "config");

    static RegisterToolRequest from(JsonNode body, ToolRules rules) {
        List<Violation> violations = new ArrayList<>();
        ObjectNode object = ToolRequestBody.object(body, FIELDS, violations);
        String name = ToolRequestBody.text(object, "name", false, violations);
        String slug = ToolRequestBody.text(object, "slug", false, violations);
        String description = ToolRequestBody.text(object, "description", true, violations);
        String version = ToolRequestBody.text(object, "version", false, violations);
        JsonNode config = object.get("config");
        if (!violations.isEmpty()) {
            // the fields that could be read are held to the rules too, so that the 422 names every failing field
            ToolRequestBody.addRuleViolations(violations, () -> rules.checkRegistration(
                    new RegisterTool(null, name, slug, description, version, config)));
            throw new ValidationException(violations);
        }
        return new RegisterToolRequest(name, slug, description, version, config);
    }
}
