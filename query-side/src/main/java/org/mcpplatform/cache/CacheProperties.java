package org.mcpplatform.cache;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Settings of Redis and the read-model cache ({@code mcp.cache.*}, a section of
 * {@link org.mcpplatform.configuration.QuerySideProperties}).
 *
 * @param redisUrl   {@code redis://[user:password@]host:port[/db]} (or {@code rediss://}); blank keeps the cache in
 *                   this process
 * @param keyPrefix  prepended to every key, so that several platforms or test runs can share one Redis
 * @param timeout    how long one Redis command may take before the read goes to the database instead
 * @param retryAfter how long Redis is left alone after it failed repeatedly
 * @param toolTtl    lifetime of a cached tool (entries are also replaced whenever the tool changes)
 * @param listTtl    lifetime of a cached list page
 * @param resyncInterval how often tools whose cache update Redis missed are written again, once it answers
 */
public record CacheProperties(@Pattern(regexp = "(rediss?://.+)?",
                                       message = "a Redis URL such as redis://redis:6379/0 (rediss:// for TLS), or "
                                               + "nothing to keep the cache in this process")
                              String redisUrl,
                              String keyPrefix,
                              @NotNull @DurationMin(millis = 10) @DurationMax(seconds = 5) Duration timeout,
                              @NotNull @DurationMin(millis = 100) Duration retryAfter,
                              @NotNull @DurationMin(seconds = 1) Duration toolTtl,
                              @NotNull @DurationMin(seconds = 1) Duration listTtl,
                              @NotNull @DurationMin(millis = 10) Duration resyncInterval) {

    public boolean redisEnabled() {
        return redisUrl != null && !redisUrl.isBlank();
    }

    public String prefix() {
        return keyPrefix == null ? "" : keyPrefix;
    }
}
