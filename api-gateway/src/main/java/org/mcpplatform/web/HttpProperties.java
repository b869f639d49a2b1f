package org.mcpplatform.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.autoconfigure.web.ServerProperties.ForwardHeadersStrategy;

/**
 * The HTTP server ({@code mcp.http.*}, a section of {@link org.mcpplatform.configuration.ApiGatewayProperties}).
 * Spring Boot's {@code server.*} keys refer to these in application.yml, so that they are validated with every other
 * setting.
 *
 * @param port                   the port the API listens on (0: any free port)
 * @param forwardHeadersStrategy {@code native} behind a reverse proxy: client addresses (per-address rate limits,
 *                               logs) then come from X-Forwarded-For of trusted (private-network) proxies
 */
public record HttpProperties(@Min(0) @Max(65_535) int port,
                             @NotNull ForwardHeadersStrategy forwardHeadersStrategy) {
}
