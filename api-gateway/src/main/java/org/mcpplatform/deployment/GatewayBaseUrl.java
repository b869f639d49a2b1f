package org.mcpplatform.deployment;

import org.mcpplatform.gateway.GatewayProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where MCP clients reach this platform: {@code mcp.gateway.base-url} (MCP_GATEWAY_BASE_URL, e.g. the public URL
 * behind a reverse proxy), or http://localhost:&lt;the port the server listens on&gt;.
 */
@Component
public class GatewayBaseUrl {

    private final String configured;
    private final Environment environment;

    public GatewayBaseUrl(GatewayProperties properties, Environment environment) {
        this.configured = properties.baseUrl();
        this.environment = environment;
    }

    /** Without a trailing slash. */
    public String value() {
        if (configured != null) {
            return configured;
        }
        // the port actually bound (server.port may be 0, a random port)
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port;
    }
}
