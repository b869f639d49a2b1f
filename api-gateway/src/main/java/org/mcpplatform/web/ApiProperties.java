package org.mcpplatform.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Settings of the REST API ({@code mcp.api.*}, a section of
 * {@link org.mcpplatform.configuration.ApiGatewayProperties}).
 *
 * @param maxBodyBytes        request bodies above this size are refused with 413
 * @param commandTimeout      how long a command may take before the request fails with 503
 * @param readYourWritesWait  how long a command request waits for the read model to show its change before
 *                            answering from the event store instead
 */
public record ApiProperties(@Min(1024) long maxBodyBytes,
                            @NotNull @DurationMin(millis = 100) Duration commandTimeout,
                            @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 60) Duration readYourWritesWait) {
}
