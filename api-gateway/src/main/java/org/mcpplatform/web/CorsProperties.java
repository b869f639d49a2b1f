package org.mcpplatform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * Cross-origin access ({@code mcp.cors.*}).
 *
 * @param allowedOrigins the browser origins (scheme://host[:port]) whose pages may call the API; empty allows none
 */
@ConfigurationProperties("mcp.cors")
public record CorsProperties(List<String> allowedOrigins) {

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
    }
}
