package org.mcpplatform.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/**
 * Cross-origin access ({@code mcp.cors.*}, a section of {@link org.mcpplatform.configuration.ApiGatewayProperties}).
 *
 * @param allowedOrigins the browser origins (scheme://host[:port]) whose pages may call the API; empty allows none
 */
public record CorsProperties(@NotNull List<@Pattern(regexp = "https?://[^\\s/?#]+",
                                                     message = "browser origins such as https://app.example.com "
                                                             + "(scheme://host[:port], no path)")
                                            String> allowedOrigins) {

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
    }
}
