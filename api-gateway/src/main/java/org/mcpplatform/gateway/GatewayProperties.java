package org.mcpplatform.gateway;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the MCP gateway ({@code mcp.gateway.*}, a section of
 * {@link org.mcpplatform.configuration.ApiGatewayProperties}).
 *
 * @param requestTimeout       how long a forwarded request may take before the client gets a JSON-RPC error (504 on
 *                             the REST face)
 * @param sessionIdleTimeout   a session without requests (and without an open GET stream) for this long ends
 * @param maxSessionsPerUser   open sessions one user may hold on this node; initialize beyond it is refused
 * @param keepAliveInterval    SSE comment lines sent this often on open streams, so that proxies keep them open and
 *                             a vanished client is noticed
 * @param baseUrl              the platform's public URL (scheme://host[:port]); the resource in the protected-resource
 *                             metadata and an allowed Origin. Empty: taken from each request
 * @param authorizationServers the OAuth authorization servers listed in the protected-resource metadata (none: the
 *                             platform's own JWTs and API keys are the only credentials)
 * @param resourceName         the human-readable name in the protected-resource metadata
 */
public record GatewayProperties(@NotNull @DurationMin(millis = 100) Duration requestTimeout,
                                @NotNull @DurationMin(seconds = 1) Duration sessionIdleTimeout,
                                @Min(1) int maxSessionsPerUser,
                                @NotNull @DurationMin(millis = 100) Duration keepAliveInterval,
                                @Pattern(regexp = "https?://[^\\s/?#]+(/[^\\s?#]*)?",
                                         message = "a URL such as https://mcp.example.com (http or https, host, "
                                                 + "optional port and path), or nothing for http://localhost:<port>")
                                String baseUrl,
                                @NotNull List<@Pattern(regexp = "https?://[^\\s]+",
                                                       message = "URLs such as https://auth.example.com")
                                             String> authorizationServers,
                                String resourceName) {

    public GatewayProperties {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : stripSlash(baseUrl.strip());
        authorizationServers = authorizationServers == null ? List.of()
                : authorizationServers.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        resourceName = resourceName == null || resourceName.isBlank() ? "MCP Platform" : resourceName;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
