package org.mcpplatform.gateway;

import jakarta.servlet.http.HttpServletRequest;
import org.mcpplatform.web.CorsProperties;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's public addresses and the origins it accepts. The Origin check guards against DNS rebinding (the
 * spec's reason for it), so the allowed origins never come from the request's own Host header, which a rebinding page
 * controls: only the configured CORS origins and the configured base URL count.
 */
@Component
public class GatewayUrls {

    static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private final GatewayProperties properties;
    private final Set<String> allowedOrigins = new HashSet<>();

    GatewayUrls(GatewayProperties properties, CorsProperties cors) {
        this.properties = properties;
        cors.allowedOrigins().forEach(origin -> allowedOrigins.add(normalize(origin)));
        if (properties.baseUrl() != null) {
            URI base = URI.create(properties.baseUrl());
            allowedOrigins.add(normalize(base.getScheme() + "://" + base.getRawAuthority()));
        }
    }

    /** True when the request carries no Origin (not a browser) or an allowed one. */
    boolean originAllowed(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        return origin == null || allowedOrigins.contains(normalize(origin));
    }

    /** The platform's base URL: configured, else as the request reached it. */
    String base(HttpServletRequest request) {
        if (properties.baseUrl() != null) {
            return properties.baseUrl();
        }
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
    }

    String endpoint(HttpServletRequest request, String slug) {
        return base(request) + "/mcp/" + slug;
    }

    String metadata(HttpServletRequest request, String slug) {
        return base(request) + METADATA_PATH + "/mcp/" + slug;
    }

    /**
     * The WWW-Authenticate value of a 401 at /mcp/{slug}[/...]: a Bearer challenge pointing to the slug's RFC 9728
     * metadata, as MCP clients expect it; null for other paths.
     *
     * @param error the RFC 6750 error ("invalid_token"), or null when no credentials were sent
     */
    public String challenge(HttpServletRequest request, String error) {
        String slug = slugOf(request);
        if (slug == null || !slug.matches("[A-Za-z0-9._~-]+")) {
            return null;
        }
        return "Bearer " + (error == null ? "" : "error=\"" + error + "\", ") + "resource_metadata=\""
                + metadata(request, slug) + "\"";
    }

    /** The slug of a request to /mcp/{slug}[/...], or null for other paths. */
    static String slugOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/mcp/")) {
            return null;
        }
        int end = path.indexOf('/', 5);
        String slug = end < 0 ? path.substring(5) : path.substring(5, end);
        return slug.isEmpty() ? null : slug;
    }

    private static String normalize(String origin) {
        String value = origin.strip().toLowerCase(Locale.ROOT);
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
