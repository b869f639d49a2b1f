package org.mcpplatform.configuration;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Environments as a process starts with them: the given variables as the operating system's environment (Spring reads
 * them through the same property source type, relaxed names included), under them the platform's application.yml,
 * and nothing else (no system properties, no test configuration).
 */
final class SettingsEnvironments {

    private static final List<PropertySource<?>> APPLICATION_YML = applicationYml();

    private SettingsEnvironments() {
    }

    static StandardEnvironment of(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                                    new HashMap<>(variables)));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of()));
        APPLICATION_YML.forEach(environment.getPropertySources()::addLast);
        ConfigurationPropertySources.attach(environment);
        return environment;
    }

    /**
     * A value of application.yml as the variables make it, worked out here without Spring: each ${NAME:default}
     * becomes the variable's value, or else its default (itself worked out the same way).
     */
    static String resolve(String raw, Map<String, String> variables) {
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (Settings.Placeholder placeholder : Settings.Placeholder.all(raw)) {
            String written = "${" + placeholder.name()
                    + (placeholder.defaultValue() == null ? "" : ":" + placeholder.defaultValue()) + "}";
            int at = raw.indexOf(written, copied);
            out.append(raw, copied, at);
            String value = variables.get(placeholder.name());
            out.append(value != null ? value
                               : placeholder.defaultValue() == null ? "" : resolve(placeholder.defaultValue(), variables));
            copied = at + written.length();
        }
        return out.append(raw.substring(copied)).toString();
    }

    private static List<PropertySource<?>> applicationYml() {
        try {
            return new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
