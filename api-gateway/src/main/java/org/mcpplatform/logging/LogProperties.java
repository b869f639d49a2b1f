package org.mcpplatform.logging;

import jakarta.validation.constraints.NotNull;

/**
 * The log ({@code mcp.log.*}, a section of {@link org.mcpplatform.configuration.ApiGatewayProperties}). The log
 * format itself reads the key before the application context exists ({@link PlatformLogFormat}); it is bound here so
 * that a wrong value stops the start like any other.
 *
 * @param format {@code json}: one JSON object per line; {@code text}: one readable line
 */
public record LogProperties(@NotNull Format format) {

    public enum Format { JSON, TEXT }
}
