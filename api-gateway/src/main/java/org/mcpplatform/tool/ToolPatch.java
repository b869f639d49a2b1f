package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of PATCH /api/v1/mcps/{id} (the seed's MCPToolUpdate). Read from the JSON tree rather than bound to a
 * record, because a PATCH must tell a field that is absent (unchanged) from one set to null: a null description
 * clears it, a null name is an error.
 */
record ToolPatch(String name, String description, String version, JsonNode config, ToolStatus status) {

    private static final Set<String> FIELDS = Set.of("name", "description", "version", "config", "status");

    static ToolPatch from(JsonNode body, ToolRules rules) {
        List<Violation> violations = new ArrayList<>();
        ObjectNode object = ToolRequestBody.object(body, FIELDS, violations);
        String name = ToolRequestBody.text(object, "name", false, violations);
        String description = ToolRequestBody.text(object, "description", true, violations);
        String version = ToolRequestBody.text(object, "version", false, violations);
        JsonNode config = null;
        if (object.has("config")) {
            config = object.get("config");
            if (config.isNull()) {
                violations.add(new Violation("config", "must not be null"));
                config = null;
            }
        }
        ToolStatus status = null;
        String statusText = ToolRequestBody.text(object, "status", false, violations);
        if (statusText != null) {
            try {
                status = ToolStatus.fromValue(statusText);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("status", "must be one of draft, active, deprecated"));
            }
        }
        if (!violations.isEmpty()) {
            // the fields that could be read are held to the rules too, so that the 422 names every failing field
            String checkedName = name;
            String checkedDescription = description;
            String checkedVersion = version;
            JsonNode checkedConfig = config;
            ToolRequestBody.addRuleViolations(violations, () -> rules.checkUpdate(
                    new UpdateTool(null, checkedName, checkedDescription, checkedVersion, checkedConfig, null, null)));
            throw new ValidationException(violations);
        }
        return new ToolPatch(name, description, version, config, status);
    }

    boolean onlyStatus() {
        return status != null && name == null && description == null && version == null && config == null;
    }

    boolean empty() {
        return status == null && name == null && description == null && version == null && config == null;
    }
}
