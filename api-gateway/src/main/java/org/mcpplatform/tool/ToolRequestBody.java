package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reading a tool request body field by field, so that one 422 can name every failing field. */
final class ToolRequestBody {

    private ToolRequestBody() {
    }

    /** The body as an object; a field not in {@code fields} is a violation. */
    static ObjectNode object(JsonNode body, Set<String> fields, List<Violation> violations) {
        if (!(body instanceof ObjectNode object)) {
            throw new ValidationException(List.of(new Violation("body", "must be a JSON object")));
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!fields.contains(field)) {
                violations.add(new Violation(field, "is not a known field"));
            }
        }
        return object;
    }

    /**
     * Adds what {@code check} finds about fields not reported yet (a field already found unreadable is passed to the
     * rules as absent, and must not be reported twice).
     */
    static void addRuleViolations(List<Violation> violations, Runnable check) {
        Set<String> reported = new HashSet<>();
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
}
