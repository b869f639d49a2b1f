package org.mcpplatform.deployment;

import org.springframework.beans.factory.annotation.Value;
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

    public GatewayBaseUrl(@Value("${mcp.gateway.base-url:}") String configured, Environment environment) {
        this.configured = configured.strip();
        this.environment = environment;
    }

    /** Without a trailing slash. */
    public String value() {
        if (!configured.isEmpty()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        // the port actually bound (server.port may be 0, a random port)
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port;
    }
}
