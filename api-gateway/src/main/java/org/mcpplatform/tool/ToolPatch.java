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
 * The body of PATCH /api/v1/mcps/{id} (the seed's MCPToolUpdate). Read from the JSON tree rather than bound to a
 * record, because a PATCH must tell a field that is absent (unchanged) from one set to null: a null description
 * clears it, a null name is an error.
 */
record ToolPatch(String name, String description, String version, JsonNode config, ToolStatus status) {

    private static final Set<String> FIELDS = Set.of("name", "description", "version", "config", "status");

    static ToolPatch from(JsonNode body, ToolRules rules) {
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
        String name = text(object, "name", false, violations);
        String description = text(object, "description", true, violations);
        String version = text(object, "version", false, violations);
        JsonNode config = null;
        if (object.has("config")) {
            config = object.get("config");
            if (config.isNull()) {
                violations.add(new Violation("config", "must not be null"));
                config = null;
            }
        }
        ToolStatus status = null;
        String statusText = text(object, "status", false, violations);
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
            addRuleViolations(violations, () -> rules.checkUpdate(
                    new UpdateTool(null, checkedName, checkedDescription, checkedVersion, checkedConfig, null, null)));
            throw new ValidationException(violations);
        }
        return new ToolPatch(name, description, version, config, status);
    }

    /**
     * Adds what {@code check} finds about fields not reported yet (a field already found unreadable is passed to the
     * rules as absent, and must not be reported twice).
     */
    static void addRuleViolations(List<Violation> violations, Runnable check) {
        Set<String> reported = new java.util.HashSet<>();
        violations.forEach(v -> reported.add(topField(v.field())));
        try {
            check.run();
        } catch (ValidationException e) {
            e.violations().stream().filter(v -> !reported.contains(topField(v.field()))).forEach(violations::add);
        }
    }

    /** config.mcpServers.fs.args[0] -> config */
    private static String topField(String field) {
        int end = field.length();
        for (char separator : new char[]{'.', '['}) {
            int at = field.indexOf(separator);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        return field.substring(0, end);
    }

    /** The field's text; for a nullable field an explicit null reads as "" (clear it). */
    static String text(ObjectNode object, String field, boolean nullable, List<Violation> violations) {
        if (!object.has(field)) {
            return null;
        }
        JsonNode value = object.get(field);
        if (value.isNull()) {
            if (nullable) {
                return "";
            }
            violations.add(new Violation(field, "must not be null"));
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(field, "must be a string"));
            return null;
        }
        return value.textValue();
    }

    boolean onlyStatus() {
        return status != null && name == null && description == null && version == null && config == null;
    }

    boolean empty() {
        return status == null && name == null && description == null && version == null && config == null;
    }
}
