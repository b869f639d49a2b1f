package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a tool's fields may hold. The command side is the one place these are decided: the API turns the
 * {@link ValidationException} into a 422 with one entry per field.
 */
public class ToolRules {

    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_SLUG_LENGTH = 255;
    public static final int MAX_VERSION_LENGTH = 50;
    /** Fits the TEXT column of the read model in any character set. */
    public static final int MAX_DESCRIPTION_LENGTH = 10_000;
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9-]+$");
    private static final Pattern VERSION = Pattern.compile("^\\d+\\.\\d+\\.\\d+$");

    private final ToolConfigSchema configSchema;

    public ToolRules(ToolConfigSchema configSchema) {
        this.configSchema = configSchema;
    }

    public void checkRegistration(RegisterTool command) {
        List<Violation> violations = new ArrayList<>();
        checkName(command.name(), true, violations);
        checkSlug(command.slug(), violations);
        checkDescription(command.description(), violations);
        checkVersion(command.version(), true, violations);
        checkConfig(command.config(), true, violations);
        throwIfAny(violations);
    }

    public void checkUpdate(UpdateTool command) {
        List<Violation> violations = new ArrayList<>();
        checkName(command.name(), false, violations);
        checkDescription(command.description(), violations);
        checkVersion(command.version(), false, violations);
        checkConfig(command.config(), false, violations);
        throwIfAny(violations);
    }

    private void checkName(String name, boolean required, List<Violation> violations) {
        if (name == null) {
            if (required) {
                violations.add(new Violation("name", "is required"));
            }
        } else if (name.isBlank()) {
            violations.add(new Violation("name", "must not be blank"));
        } else if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            violations.add(new Violation("name", "must be at most " + MAX_NAME_LENGTH + " characters"));
        }
    }

    private void checkSlug(String slug, List<Violation> violations) {
        if (slug == null) {
            violations.add(new Violation("slug", "is required"));
        } else if (slug.isEmpty() || slug.length() > MAX_SLUG_LENGTH) {
            violations.add(new Violation("slug", "must be 1 to " + MAX_SLUG_LENGTH + " characters"));
        } else if (!SLUG.matcher(slug).matches()) {
            violations.add(new Violation("slug", "must match ^[a-z0-9-]+$ (lower-case letters, digits and hyphens)"));
        }
    }

    private void checkDescription(String description, List<Violation> violations) {
        if (description != null && description.codePointCount(0, description.length()) > MAX_DESCRIPTION_LENGTH) {
            violations.add(new Violation("description",
                                         "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
    }

    private void checkVersion(String version, boolean required, List<Violation> violations) {
        if (version == null) {
            if (required) {
                violations.add(new Violation("version", "is required"));
            }
        } else if (version.length() > MAX_VERSION_LENGTH || !VERSION.matcher(version).matches()) {
            violations.add(new Violation("version", "must be a semantic version X.Y.Z, e.g. 1.0.0"));
        }
    }

    private void checkConfig(JsonNode config, boolean required, List<Violation> violations) {
        if (config == null || config.isNull() || config.isMissingNode()) {
            if (required) {
                violations.add(new Violation("config", "is required"));
            }
            return;
        }
        if (!config.isObject()) {
            violations.add(new Violation("config", "must be a JSON object"));
            return;
        }
        violations.addAll(configSchema.check("config", config));
    }

    private static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }
}
