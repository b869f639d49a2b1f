package org.mcpplatform.configuration;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.PropertyResolver;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One missing or invalid setting, as an operator needs to hear about it: the environment variable to change, the
 * value it has (unless it is a credential), and what it should be.
 *
 * @param name     the environment variable; the key when no variable feeds it
 * @param property the key, such as {@code mcp.gateway.request-timeout}
 * @param value    the value as given, null when none was; never a secret's
 * @param hidden   whether a value was given that is not shown, being a credential
 * @param problem  what is wrong: "expected a duration of at least 100ms, such as 60s", or a reason
 */
public record SettingProblem(String name, String property, String value, boolean hidden, String problem) {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|private[_-]?key)");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/@:\\s]*:)[^@\\s/]*@");
    private static final int MAX_SHOWN = 80;
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    /** One line: {@code MCP_GATEWAY_REQUEST_TIMEOUT="abc" (mcp.gateway.request-timeout): expected ...}. */
    public String describe() {
        String given = hidden ? " (value not shown)" : value == null ? " is not set" : "=\"" + value + "\"";
        String key = name.equals(property) ? "" : " (" + property + ")";
        return name + given + key + ": " + problem;
    }

    /** Every setting a failed binding names, whether its value could not be converted or was found invalid. */
    static List<SettingProblem> of(BindException failure, PropertyResolver environment, Settings settings) {
        if (failure.getCause() instanceof BindValidationException validation) {
            return of(validation.getValidationErrors(), environment, settings);
        }
        return List.of(unconvertible(failure.getName().toString(), failure.getProperty(), failure.getTarget(),
                                     environment, settings));
    }

    /** A value that cannot be converted to its setting's type. */
    static SettingProblem unconvertible(String property, ConfigurationProperty given, Bindable<?> target,
                                        PropertyResolver environment, Settings settings) {
        Object value = given == null ? null : resolve(given.getValue(), environment);
        String expected = settings.byProperty(property).map(Setting::expected)
                                  .orElseGet(() -> Expectations.describe(target.getType().resolve(Object.class),
                                                                         target.getAnnotations()));
        return problem(settings, property, value, given == null ? null : given.getOrigin(), "expected " + expected);
    }

    /** A constraint a bound record does not meet; its path leads from the record bound at {@code prefix}. */
    static SettingProblem of(ConstraintViolation<?> violation, String prefix, PropertyResolver environment,
                             Settings settings) {
        StringBuilder property = new StringBuilder(prefix);
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY) {
                property.append('.').append(DataObjectPropertyName.toDashedForm(node.getName()));
            }
        }
        String name = property.toString();
        String expected = settings.byProperty(name).map(Setting::expected).orElse(violation.getMessage());
        return problem(settings, name, environment.getProperty(name), null, "expected " + expected);
    }

    private static List<SettingProblem> of(ValidationErrors errors, PropertyResolver environment,
                                           Settings settings) {
        Map<String, ConfigurationProperty> bound = new LinkedHashMap<>();
        errors.getBoundProperties().forEach(p -> bound.put(p.getName().toString(), p));
        List<SettingProblem> problems = new ArrayList<>();
        for (ObjectError error : errors.getAllErrors()) {
            String property = error instanceof FieldError field
                    ? errors.getName() + "." + INDEX.matcher(DataObjectPropertyName.toDashedForm(field.getField()))
                                                    .replaceAll("")
                    : errors.getName().toString();
            ConfigurationProperty given = bound.get(property);
            Object value = given != null ? resolve(given.getValue(), environment)
                    : error instanceof FieldError field ? field.getRejectedValue() : null;
            String expected = settings.byProperty(property).map(Setting::expected)
                                      .orElse(error.getDefaultMessage());
            problems.add(problem(settings, property, value, given == null ? null : given.getOrigin(),
                                 "expected " + expected));
        }
        return problems;
    }

    /** A setting that was bound but turned out unusable later (a key pair that is no pair, a missing password). */
    static SettingProblem of(InvalidConfigurationPropertyValueException failure, Settings settings) {
        return problem(settings, failure.getName(), failure.getValue(), null, failure.getReason());
    }

    /** A value as written in application.yml (${MCP_X:default}) as it was resolved; as written without resolver. */
    private static Object resolve(Object value, PropertyResolver environment) {
        return value instanceof CharSequence text && environment != null
                ? environment.resolvePlaceholders(text.toString()) : value;
    }

    /**
     * One problem per setting, the first found; none for a section that is missing only because none of its
     * settings could be converted (they are reported themselves).
     */
    static List<SettingProblem> distinct(List<SettingProblem> problems) {
        Map<String, SettingProblem> byProperty = new LinkedHashMap<>();
        problems.forEach(problem -> byProperty.putIfAbsent(problem.property(), problem));
        byProperty.keySet().removeIf(section -> byProperty.keySet().stream()
                                                          .anyMatch(key -> key.startsWith(section + ".")));
        return List.copyOf(byProperty.values());
    }

    /** Long values (a PEM key) cut short, on one line. */
    private static String abbreviate(String value) {
        String line = value.replace("\r", "\\r").replace("\n", "\\n");
        return line.length() <= MAX_SHOWN ? line : line.substring(0, MAX_SHOWN) + "...";
    }

    /** Credentials: passwords, secrets, private keys. Their values are never shown. */
    static boolean secret(String name, String property) {
        return SECRET_NAME.matcher(name).matches() || SECRET_NAME.matcher(property).matches();
    }

    private static SettingProblem problem(Settings settings, String property, Object value, Origin origin,
                                          String problem) {
        String name = settings.byProperty(property).map(Setting::name)
                              .orElse(origin instanceof SystemEnvironmentOrigin environment
                                      ? environment.getProperty() : property);
        String shown = value == null ? null : abbreviate(URL_PASSWORD.matcher(String.valueOf(value))
                                                                  .replaceAll("$1***@"));
        boolean secret = secret(name, property);
        return new SettingProblem(name, property, secret ? null : shown, secret && value != null, problem);
    }
}
