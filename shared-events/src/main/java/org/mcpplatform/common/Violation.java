package org.mcpplatform.common;

/** One field that failed validation, and why. */
public record Violation(String field, String message) {
}
