package org.mcpplatform.usage;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The width of a stats bucket, and the longest range it may cover: the percentiles are computed from every row of
 * the range, and a minute bucket over a month would be 44,640 buckets, more than any chart shows.
 */
public enum StatsBucket {
    MINUTE("minute", ChronoUnit.MINUTES, Duration.ofDays(1)),
    HOUR("hour", ChronoUnit.HOURS, Duration.ofDays(31));

    private final String value;
    private final ChronoUnit unit;
    private final Duration maxRange;

    StatsBucket(String value, ChronoUnit unit, Duration maxRange) {
        this.value = value;
        this.unit = unit;
        this.maxRange = maxRange;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public ChronoUnit unit() {
        return unit;
    }

    public Duration width() {
        return unit.getDuration();
    }

    public Duration maxRange() {
        return maxRange;
    }

    public static Optional<StatsBucket> fromValue(String value) {
        for (StatsBucket bucket : values()) {
            if (bucket.value.equals(value)) {
                return Optional.of(bucket);
            }
        }
        return Optional.empty();
    }
}
