package org.mcpplatform.deployment;

import com.fasterxml.jackson.annotation.JsonValue;

public enum HealthStatus {
    UNKNOWN("unknown"), HEALTHY("healthy"), UNHEALTHY("unhealthy");

    private final String value;

    HealthStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public static HealthStatus fromValue(String value) {
        for (HealthStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown health status: " + value);
    }
}
