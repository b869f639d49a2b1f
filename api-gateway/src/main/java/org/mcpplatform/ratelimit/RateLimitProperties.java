package org.mcpplatform.ratelimit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Settings of the rate limits ({@code mcp.rate-limit.*}, a section of
 * {@link org.mcpplatform.configuration.ApiGatewayProperties}).
 *
 * @param enabled               whether requests are limited per caller and endpoint class; the failed-login and
 *                              failed-API-key budgets stay on regardless, they are a defence, not a quota
 * @param readPerMinute         GET and HEAD requests per principal (or per client IP when anonymous)
 * @param writePerMinute        POST, PUT, PATCH and DELETE requests per principal (or client IP)
 * @param authPerMinute         requests to the login and refresh endpoints per client IP
 * @param mcpPerMinute          requests to deployed tools (/mcp/...) per principal (or client IP)
 * @param failedAuthPerUsername failed logins per username in {@code failedAuthWindow} before further attempts for
 *                              that username are refused
 * @param failedAuthPerIp       failed logins and failed API key attempts per client IP in {@code failedAuthWindow}
 *                              before further attempts from that address are refused
 * @param failedAuthWindow      how long a used-up failure budget takes to come back in full
 */
public record RateLimitProperties(boolean enabled,
                                  @Min(1) long readPerMinute,
                                  @Min(1) long writePerMinute,
                                  @Min(1) long authPerMinute,
                                  @Min(1) long mcpPerMinute,
                                  @Min(1) long failedAuthPerUsername,
                                  @Min(1) long failedAuthPerIp,
                                  @NotNull @DurationMin(seconds = 1) Duration failedAuthWindow) {

    public Limit limit(EndpointClass endpointClass) {
        return Limit.perMinute(switch (endpointClass) {
            case AUTH -> authPerMinute;
            case READ -> readPerMinute;
            case WRITE -> writePerMinute;
            case MCP -> mcpPerMinute;
        });
    }

    public Limit failuresPerUsername() {
        return new Limit(failedAuthPerUsername, failedAuthWindow);
    }

    public Limit failuresPerIp() {
        return new Limit(failedAuthPerIp, failedAuthWindow);
    }
}
