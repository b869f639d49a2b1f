package org.mcpplatform.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import java.util.List;

/**
 * Which browser pages may call the API: only the configured origins. Spring Security's CORS filter applies it to
 * every path, so a request or preflight from any other origin is refused with 403 and never gets an
 * Access-Control-Allow-Origin header. Credentials are not allowed: tokens travel in headers, not cookies.
 */
@Configuration(proxyBeanMethods = false)
public class CorsPolicy {

    @Bean
    public CorsConfigurationSource corsConfigurationSource(CorsProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"));
        // the MCP headers too, so that browser MCP clients on an allowed origin can use /mcp/{slug}
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-API-Key", RequestIds.HEADER, "If-Match",
                                       "If-None-Match", "Accept", "Mcp-Session-Id", "MCP-Protocol-Version",
                                       "Last-Event-ID"));
        cors.setExposedHeaders(List.of(RequestIds.HEADER, "ETag", "Location", "Retry-After", "X-RateLimit-Limit",
                                       "X-RateLimit-Remaining", "Mcp-Session-Id", "WWW-Authenticate"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(3600L);
        // registered for every path: a path without a configuration would let foreign preflights through unanswered
        // to Spring MVC, which answers them 200
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
