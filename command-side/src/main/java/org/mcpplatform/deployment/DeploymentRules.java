package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.identity.Role;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What may be deployed: which server entry of a tool's config, over which transport, and whose commands. A stdio
 * server's command runs on the platform's machine, so only admins may deploy one whose command is not on the
 * allow-list; the list holds bare program names found on PATH, so a path (which could name any file) never matches.
 */
public class DeploymentRules {

    private final Set<String> allowedCommands;
    private final int unhealthyAfter;

    public DeploymentRules(Set<String> allowedCommands, int unhealthyAfter) {
        this.allowedCommands = Set.copyOf(allowedCommands);
        this.unhealthyAfter = unhealthyAfter;
    }

    /** Consecutive failed health checks after which a deployment is unhealthy. */
    public int unhealthyAfter() {
        return unhealthyAfter;
    }

    public Set<String> allowedCommands() {
        return allowedCommands;
    }

    /** The chosen server entry, checked. */
    public ChosenServer choose(JsonNode config, String requested, Role role) {
        JsonNode servers = config == null ? null : config.get("mcpServers");
        if (servers == null || !servers.isObject() || servers.isEmpty()) {
            throw invalid("server", "the tool's config has no mcpServers entry to deploy");
        }
        String name = requested;
        if (name == null || name.isBlank()) {
            if (servers.size() != 1) {
                throw invalid("server", "the tool's config has " + servers.size()
                        + " mcpServers entries; name the one to deploy (one of " + names(servers) + ")");
            }
            name = servers.fieldNames().next();
        }
        JsonNode server = servers.get(name);
        if (server == null || !server.isObject()) {
            throw invalid("server", "the tool's config has no mcpServers entry '" + name + "' (it has "
                    + names(servers) + ")");
        }
        UpstreamKind kind = kindOf(server);
        if (kind == UpstreamKind.STDIO) {
            String command = server.path("command").asText("");
            if (role != Role.ADMIN && !allowedCommands.contains(command)) {
                throw new ForbiddenException("Only admins may deploy a server whose command is not on the allow-list "
                        + allowedCommands.stream().sorted().toList() + "; '" + command + "' is not");
            }
        }
        return new ChosenServer(name, kind);
    }

    static UpstreamKind kindOf(JsonNode server) {
        if (server.hasNonNull("command")) {
            return UpstreamKind.STDIO;
        }
        String transport = server.path("transport").asText(server.path("type").asText("streamable-http"));
        return "sse".equals(transport) ? UpstreamKind.SSE : UpstreamKind.STREAMABLE_HTTP;
    }

    private static String names(JsonNode servers) {
        StringBuilder names = new StringBuilder();
        for (Iterator<String> it = servers.fieldNames(); it.hasNext(); ) {
            names.append(names.isEmpty() ? "" : ", ").append(it.next());
        }
        return names.toString();
    }

    private static ValidationException invalid(String field, String message) {
        return new ValidationException(List.of(new Violation(field, message)));
    }

    public record ChosenServer(String name, UpstreamKind kind) {
    }
}
