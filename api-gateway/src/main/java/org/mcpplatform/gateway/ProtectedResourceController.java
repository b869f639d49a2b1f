package org.mcpplatform.gateway;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9728 protected-resource metadata for the MCP endpoints, public as the spec requires: the path-inserted form
 * {@code /.well-known/oauth-protected-resource/mcp/{slug}} that a 401's challenge points to, and the root form for
 * clients that try that. Authorization servers are listed only when configured: the platform's own access tokens and
 * API keys are obtained outside OAuth.
 */
@RestController
public class ProtectedResourceController {

    private final GatewayUrls urls;
    private final GatewayProperties properties;

    public ProtectedResourceController(GatewayUrls urls, GatewayProperties properties) {
        this.urls = urls;
        this.properties = properties;
    }

    @GetMapping(path = GatewayUrls.METADATA_PATH + "/mcp/{slug}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> forSlug(@PathVariable String slug, HttpServletRequest request) {
        return metadata(urls.endpoint(request, slug));
    }

    @GetMapping(path = GatewayUrls.METADATA_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> root(HttpServletRequest request) {
        return metadata(urls.base(request) + "/mcp");
    }

    private Map<String, Object> metadata(String resource) {
        // a Map, not a record: the field names are RFC 9728's, not the API's snake_case naming of Java names
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resource", resource);
        if (!properties.authorizationServers().isEmpty()) {
            metadata.put("authorization_servers", properties.authorizationServers());
        }
        metadata.put("bearer_methods_supported", List.of("header"));
        metadata.put("resource_name", properties.resourceName());
        metadata.put("scopes_supported", List.of());
        return metadata;
    }
}
