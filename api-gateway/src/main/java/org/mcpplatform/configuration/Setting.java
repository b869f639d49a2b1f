package org.mcpplatform.configuration;

import java.lang.reflect.Field;

/**
 * One setting: the key a module's record binds, the environment variable application.yml reads it from, and that
 * variable's default there.
 *
 * @param property     the key, such as {@code mcp.gateway.request-timeout}
 * @param variable     the environment variable, such as {@code MCP_GATEWAY_REQUEST_TIMEOUT}; null when application.yml
 *                     reads none for the key
 * @param defaultValue the variable's default in application.yml (empty: none); it may hold other variables
 * @param rawValue     the key's value in application.yml as written, null when it has none
 * @param field        the record component's field, whose type and constraints say what a valid value is
 */
public record Setting(String property, String variable, String defaultValue, String rawValue, Field field) {

    /** The variable, or the key when no variable feeds it: what an operator has to set. */
    public String name() {
        return variable != null ? variable : property;
    }

    /** A credential: its value is never shown, not even in a failure report. */
    public boolean secret() {
        return SettingProblem.secret(name(), property);
    }

    /** What a valid value looks like, for a person: "a duration of at least 100ms, such as 60s". */
    public String expected() {
        return Expectations.describe(field.getAnnotatedType(), field.getAnnotations(), example());
    }

    /** The default, when it is a plain value that can serve as an example. */
    private String example() {
        return defaultValue == null || defaultValue.isEmpty() || defaultValue.contains("${") ? null : defaultValue;
    }
}
