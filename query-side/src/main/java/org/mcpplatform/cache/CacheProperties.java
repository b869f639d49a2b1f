package org.mcpplatform.cache;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the read-model cache ({@code mcp.cache.*}).
 *
 * @param redisUrl   {@code redis://[user:password@]host:port[/db]} (or {@code rediss://}); blank keeps the cache in
 *                   this process
 * @param keyPrefix  prepended to every key, so that several platforms or test runs can share one Redis
 * @param timeout    how long one Redis command may take before the read goes to the database instead
 * @param retryAfter how long Redis is left alone after it failed repeatedly
 * @param toolTtl    lifetime of a cached tool (entries are also replaced whenever the tool changes)
 * @param listTtl    lifetime of a cached list page
 */
@Validated
@ConfigurationProperties("mcp.cache")
public record CacheProperties(String redisUrl,
                              String keyPrefix,
                              @NotNull @DurationMin(millis = 10) @DurationMax(seconds = 5) Duration timeout,
                              @NotNull @DurationMin(millis = 100) Duration retryAfter,
                              @NotNull @DurationMin(seconds = 1) Duration toolTtl,
                              @NotNull @DurationMin(seconds = 1) Duration listTtl) {

    public boolean redisEnabled() {
        return redisUrl != null && !redisUrl.isBlank();
    }

    public String prefix() {
        return keyPrefix == null ? "" : keyPrefix;
    }
}
