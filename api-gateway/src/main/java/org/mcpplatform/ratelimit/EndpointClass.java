package org.mcpplatform.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.cors.CorsUtils;

import java.util.Optional;
import java.util.Set;

/**
 * The kinds of request that have a budget of their own. Reads are cheap and come in bursts (a UI page load), writes
 * run commands and touch every store, and the token endpoints are where passwords are guessed, so each gets its own
 * limit rather than one number that is too tight for one and too loose for another.
 */
public enum EndpointClass {
    /** Login and token refresh: limited per client IP, since the caller is not known yet. */
    AUTH("auth"),
    /** GET and HEAD (and OPTIONS that is not a CORS preflight). */
    READ("read"),
    /** Everything that may change state. */
    WRITE("write"),
    /**
     * MCP traffic to deployed tools (/mcp/...): an agent calls tools in quick bursts, many times the pace of a person
     * changing the registry, and a call changes nothing of the platform's, so it has a budget of its own.
     */
    MCP("mcp");

    private static final Set<String> AUTH_PATHS = Set.of("/api/v1/auth/login", "/api/v1/auth/refresh");
    private static final Set<String> EXEMPT_PATHS = Set.of("/health", "/metrics", "/api/docs");
    /** The API docs and the Swagger UI's assets, and well-known documents (JWKS, OAuth metadata). */
    private static final Set<String> EXEMPT_PREFIXES = Set.of("/api/docs/", "/swagger-ui/", "/v3/api-docs",
                                                              "/.well-known/");

    private final String key;

    EndpointClass(String key) {
        this.key = key;
    }

    /** The class's name in bucket keys and metrics. */
    public String key() {
        return key;
    }

    /**
     * The class a request is limited under, or empty when it is exempt: probes and scrapes (an orchestrator or
     * Prometheus must never be throttled into declaring the node dead), docs, well-known documents, and CORS
     * preflights, which a browser sends on its own ahead of a request that is itself counted.
     * <p>
     * The path is compared as the client sent it: Spring Security's firewall, which runs before the rate limit,
     * has already refused encoded slashes, dot segments and path parameters that could make an API path look exempt.
     */
    public static Optional<EndpointClass> of(HttpServletRequest request) {
        if (CorsUtils.isPreFlightRequest(request)) {
            return Optional.empty();
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (EXEMPT_PATHS.contains(path) || EXEMPT_PREFIXES.stream().anyMatch(path::startsWith)) {
            return Optional.empty();
        }
        if (AUTH_PATHS.contains(path)) {
            return Optional.of(AUTH);
        }
        if (path.startsWith("/mcp/")) {
            return Optional.of(MCP);
        }
        return Optional.of(switch (request.getMethod()) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> READ;
            default -> WRITE;
        });
    }
}
