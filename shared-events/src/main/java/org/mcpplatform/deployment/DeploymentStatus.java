package org.mcpplatform.deployment;

import com.fasterxml.jackson.annotation.JsonValue;

public enum DeploymentStatus {
    STARTING("starting"), RUNNING("running"), STOPPED("stopped"), FAILED("failed");

    private final String value;

    DeploymentStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Starting or running: holds its tool's one deployment and its endpoint. */
    public boolean active() {
        return this == STARTING || this == RUNNING;
    }

    public static DeploymentStatus fromValue(String value) {
        for (DeploymentStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown deployment status: " + value);
    }
}
