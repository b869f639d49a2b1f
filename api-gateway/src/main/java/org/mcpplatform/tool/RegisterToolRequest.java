package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.util.ArrayList;
import java.util.Iterator;
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
        if (!(body instanceof ObjectNode object)) {
            throw new ValidationException(List.of(new Violation("body", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                violations.add(new Violation(field, "is not a known field"));
            }
        }
        String name = ToolPatch.text(object, "name", false, violations);
        String slug = ToolPatch.text(object, "slug", false, violations);
        String description = ToolPatch.text(object, "description", true, violations);
        String version = ToolPatch.text(object, "version", false, violations);
        JsonNode config = object.get("config");
        if (!violations.isEmpty()) {
            // the fields that could be read are held to the rules too, so that the 422 names every failing field
            ToolPatch.addRuleViolations(violations, () -> rules.checkRegistration(
                    new RegisterTool(null, name, slug, description, version, config)));
            throw new ValidationException(violations);
        }
        return new RegisterToolRequest(name, slug, description, version, config);
    }
}
