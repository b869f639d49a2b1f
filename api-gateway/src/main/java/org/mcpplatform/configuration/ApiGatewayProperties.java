package org.mcpplatform.configuration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.mcpplatform.gateway.GatewayProperties;
import org.mcpplatform.identity.IdentityProperties;
import org.mcpplatform.identity.TokenProperties;
import org.mcpplatform.live.LiveProperties;
import org.mcpplatform.logging.LogProperties;
import org.mcpplatform.ratelimit.RateLimitProperties;
import org.mcpplatform.web.ApiProperties;
import org.mcpplatform.web.CorsProperties;
import org.mcpplatform.web.HttpProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the API gateway, one section per feature, bound from {@code mcp.*} and validated as a whole when
 * the platform starts. application.yml maps each setting to an environment variable and holds its default; README.md
 * lists them. A section's record lives beside the code it configures, which receives the section as a bean
 * ({@link ApiGatewayConfiguration}). A new setting is a component of its section, a line in application.yml and a
 * row in README.md; a new section is a component here and a bean there. The tests of {@link Settings} hold all three
 * to each other.
 *
 * @param http      {@code mcp.http.*}: the HTTP server
 * @param api       {@code mcp.api.*}: the REST API
 * @param cors      {@code mcp.cors.*}: cross-origin access
 * @param gateway   {@code mcp.gateway.*}: the MCP gateway in front of deployed servers
 * @param identity  {@code mcp.identity.*}: accounts and credentials
 * @param tokens    {@code mcp.tokens.*}: access and refresh tokens
 * @param rateLimit {@code mcp.rate-limit.*}: request budgets
 * @param log       {@code mcp.log.*}: the log format
 * @param live      {@code mcp.live.*}: WebSocket and SSE subscribers, and the fan-out of events between nodes
 */
@Validated
@ConfigurationProperties("mcp")
public record ApiGatewayProperties(@Valid @NotNull HttpProperties http,
                                   @Valid @NotNull ApiProperties api,
                                   @Valid @NotNull CorsProperties cors,
                                   @Valid @NotNull GatewayProperties gateway,
                                   @Valid @NotNull IdentityProperties identity,
                                   @Valid @NotNull TokenProperties tokens,
                                   @Valid @NotNull RateLimitProperties rateLimit,
                                   @Valid @NotNull LogProperties log,
                                   @Valid @NotNull LiveProperties live) {
}
