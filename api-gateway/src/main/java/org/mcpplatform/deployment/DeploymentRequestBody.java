package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of POST /api/v1/deployments: {@code {"tool_id": "...", "server": "..."}}, server optional when the tool's
 * config has a single entry. Every problem of the body is reported at once (422), as for tools.
 */
record DeploymentRequestBody(String toolId, String server) {

    private static final Pattern UUID_FORM =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Set<String> FIELDS = Set.of("tool_id", "server");
    private static final int MAX_SERVER_NAME = 255;

    static DeploymentRequestBody from(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new ValidationException(List.of(new Violation("body", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                violations.add(new Violation(name, "is not a known field"));
            }
        }
        JsonNode toolId = json.get("tool_id");
        if (toolId == null || toolId.isNull()) {
            violations.add(new Violation("tool_id", "is required"));
        } else if (!toolId.isTextual() || !UUID_FORM.matcher(toolId.asText()).matches()) {
            violations.add(new Violation("tool_id", "must be the id of a tool (a UUID)"));
        }
        JsonNode server = json.get("server");
        String serverName = null;
        if (server != null && !server.isNull()) {
            if (!server.isTextual() || server.asText().isBlank()) {
                violations.add(new Violation("server", "must be the name of an entry of the tool's mcpServers"));
            } else if (server.asText().length() > MAX_SERVER_NAME) {
                violations.add(new Violation("server", "must be at most " + MAX_SERVER_NAME + " characters"));
            } else {
                serverName = server.asText();
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return new DeploymentRequestBody(toolId.asText(), serverName);
    }
}
