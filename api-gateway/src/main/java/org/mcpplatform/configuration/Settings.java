package org.mcpplatform.configuration;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration schema: every setting of every module, with the environment variable that carries it and its
 * default, read from the settings records (what is bound and validated) and from application.yml (which variable feeds
 * which key, and the defaults). {@link SettingsCheck} binds the records with it before the platform starts, and
 * {@link SettingsFailureAnalyzer} uses it to name the variable behind a key.
 */
public final class Settings {

    /** The settings record of each module, all bound from {@code mcp.*}. A new module's record joins here. */
    public static final List<Class<? extends Record>> MODULES = List.of(CommandSideProperties.class,
                                                                       QuerySideProperties.class,
                                                                       SagaProperties.class,
                                                                       ApiGatewayProperties.class);
    public static final String PREFIX = "mcp";

    /** Environment variables as application.yml reads them: ${NAME} or ${NAME:default}, upper-case names only. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    private static final Settings INSTANCE = load();

    private final Map<String, Setting> byProperty;
    private final Map<String, String> variableDefaults;

    private Settings(Map<String, Setting> byProperty, Map<String, String> variableDefaults) {
        this.byProperty = Collections.unmodifiableMap(byProperty);
        this.variableDefaults = Collections.unmodifiableMap(variableDefaults);
    }

    public static Settings schema() {
        return INSTANCE;
    }

    /** Every setting the modules' records bind, in the order of the records. */
    public List<Setting> all() {
        return List.copyOf(byProperty.values());
    }

    public Optional<Setting> byProperty(String property) {
        return Optional.ofNullable(byProperty.get(property));
    }

    /**
     * Every environment variable application.yml reads, in the order it first reads them, with its default there
     * (empty when it has none): a variable may feed several keys (MCP_DATA_DIR), or be part of another's default.
     */
    public Map<String, String> variables() {
        return variableDefaults;
    }

    /**
     * Binds and validates every module's settings from the environment, the way the application context will, and
     * reports every missing or invalid setting at once.
     *
     * @throws InvalidSettingsException naming every setting found missing or invalid
     */
    public List<Record> bind(Environment environment) {
        Binder binder = Binder.get(environment);
        List<Record> bound = new ArrayList<>();
        List<SettingProblem> problems = new ArrayList<>();
        for (Class<? extends Record> module : MODULES) {
            Record settings = binder.bindOrCreate(PREFIX, Bindable.of(module),
                                                  new CollectProblems(problems, environment));
            Validators.VALIDATOR.validate(settings).forEach(violation -> problems.add(
                    SettingProblem.of(violation, PREFIX, environment, this)));
            bound.add(settings);
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(SettingProblem.distinct(problems));
        }
        return bound;
    }

    /**
     * Notes a value that cannot be converted (not a duration, not a number) and binds the rest without it, so that
     * one wrong value does not hide the others. The setting left empty then also fails validation, which
     * {@link SettingProblem#distinct} drops in favour of the note.
     */
    private final class CollectProblems extends AbstractBindHandler {

        private final List<SettingProblem> problems;
        private final Environment environment;

        CollectProblems(List<SettingProblem> problems, Environment environment) {
            this.problems = problems;
            this.environment = environment;
        }

        @Override
        public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                                Exception error) {
            problems.add(SettingProblem.unconvertible(name.toString(), context.getConfigurationProperty(), target,
                                                      environment, Settings.this));
            return null;
        }

        /**
         * An empty value of anything but text is no value: for a number or a switch not 0 or false, and for a
         * duration or a choice a missing one, even where it leaves its whole section unbound.
         */
        @Override
        public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                             Object result) {
            Class<?> type = target.getType().resolve(Object.class);
            boolean text = type == String.class || Collection.class.isAssignableFrom(type);
            if (result == null && !text && context.getConfigurationProperty() != null) {
                problems.add(SettingProblem.unconvertible(name.toString(), context.getConfigurationProperty(),
                                                          target, environment, Settings.this));
            }
        }
    }

    /** Built on first use: the schema alone (for a failure report) needs no validator. */
    private static final class Validators {
        static final Validator VALIDATOR;

        static {
            try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
                VALIDATOR = factory.getValidator();
            }
        }
    }

    private static Settings load() {
        Map<String, String> rawValues = applicationYml();
        Map<String, String> variableDefaults = new LinkedHashMap<>();
        rawValues.values().forEach(raw -> collectVariables(raw, variableDefaults));
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Class<? extends Record> module : MODULES) {
            collectSettings(module, PREFIX, rawValues, settings);
        }
        return new Settings(settings, variableDefaults);
    }

    /** Each leaf of the record tree is a setting; a component that is itself a record is a section. */
    private static void collectSettings(Class<?> record, String prefix, Map<String, String> rawValues,
                                        Map<String, Setting> settings) {
        for (RecordComponent component : record.getRecordComponents()) {
            String property = prefix + "." + DataObjectPropertyName.toDashedForm(component.getName());
            if (component.getType().isRecord()) {
                collectSettings(component.getType(), property, rawValues, settings);
                continue;
            }
            String raw = rawValues.get(property);
            List<Placeholder> placeholders = raw == null ? List.of() : Placeholder.all(raw);
            Placeholder variable = placeholders.stream().filter(p -> VARIABLE_NAME.matcher(p.name()).matches())
                                               .findFirst().orElse(null);
            settings.putIfAbsent(property, new Setting(property,
                                                       variable == null ? null : variable.name(),
                                                       variable == null ? null : variable.defaultValue(),
                                                       raw, field(record, component)));
        }
    }

    private static Field field(Class<?> record, RecordComponent component) {
        try {
            return record.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("a record component without its field: " + component, e);
        }
    }

    private static void collectVariables(String raw, Map<String, String> variableDefaults) {
        for (Placeholder placeholder : Placeholder.all(raw)) {
            if (VARIABLE_NAME.matcher(placeholder.name()).matches()) {
                variableDefaults.putIfAbsent(placeholder.name(), placeholder.defaultValue() == null ? ""
                        : placeholder.defaultValue());
            }
            if (placeholder.defaultValue() != null) {
                collectVariables(placeholder.defaultValue(), variableDefaults);
            }
        }
    }

    /** application.yml as written: keys with their values before placeholders are resolved. */
    static Map<String, String> applicationYml() {
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (PropertySource<?> document : new YamlPropertySourceLoader().load(
                    "application.yml", new ClassPathResource("application.yml"))) {
                EnumerablePropertySource<?> properties = (EnumerablePropertySource<?>) document;
                for (String name : properties.getPropertyNames()) {
                    values.putIfAbsent(name, String.valueOf(properties.getProperty(name)));
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.yml", e);
        }
    }

    /** One ${name} or ${name:default} of a value; the default may hold placeholders of its own. */
    record Placeholder(String name, String defaultValue) {

        /** The outermost placeholders of a value, in order. */
        static List<Placeholder> all(String value) {
            List<Placeholder> found = new ArrayList<>();
            int start = value.indexOf("${");
            while (start >= 0) {
                int depth = 0;
                int end = -1;
                for (int i = start; i < value.length(); i++) {
                    if (value.startsWith("${", i)) {
                        depth++;
                        i++;
                    } else if (value.charAt(i) == '}' && --depth == 0) {
                        end = i;
                        break;
                    }
                }
                if (end < 0) {
                    break;
                }
                String body = value.substring(start + 2, end);
                int colon = body.indexOf(':');
                found.add(colon < 0 ? new Placeholder(body, null)
                                  : new Placeholder(body.substring(0, colon), body.substring(colon + 1)));
                start = value.indexOf("${", end);
            }
            return found;
        }
    }
}
