package org.mcpplatform.configuration;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.springframework.core.env.StandardEnvironment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.constant;

/** Settings given as environment variables reach the modules' settings records, and Spring's own keys. */
class EnvironmentConfigurationLoadingPropertiesTest {

    private static final Settings SCHEMA = Settings.schema();
    /** Spring's keys that carry a setting, and the setting they take it from. */
    private static final Map<String, String> SPRING_KEYS = Map.of(
            "server.port", "mcp.http.port",
            "server.forward-headers-strategy", "mcp.http.forward-headers-strategy",
            "spring.datasource.url", "mcp.read-model.url",
            "spring.datasource.username", "mcp.read-model.username",
            "spring.datasource.password", "mcp.read-model.password",
            "spring.datasource.hikari.maximum-pool-size", "mcp.read-model.pool-size");

    // Property 49: Environment Configuration Loading — for any variables of the configuration schema given valid
    // values in the environment (any subset of them, the rest unset), every module's settings record holds exactly
    // those values, and application.yml's defaults for the rest; Spring's server and data source read the same.
    @Test
    void everyVariableGivenInTheEnvironmentIsLoadedAndTheOthersKeepTheirDefaults() {
        qt().withExamples(150).withShrinkCycles(50).forAll(environments()).checkAssert(variables -> {
            StandardEnvironment environment = SettingsEnvironments.of(variables);
            List<Record> modules = SCHEMA.bind(environment);
            for (Setting setting : SCHEMA.all()) {
                String text = SettingsEnvironments.resolve(setting.rawValue(), variables);
                assertThat(SettingValues.read(modules, setting))
                        .as(setting.name() + " (" + setting.property() + ") from " + text)
                        .isEqualTo(SettingValues.expected(setting, text));
            }
            SPRING_KEYS.forEach((key, setting) -> assertThat(environment.getProperty(key)).as(key)
                    .isEqualTo(SettingsEnvironments.resolve(SCHEMA.byProperty(setting).orElseThrow().rawValue(),
                                                            variables)));
        });
    }

    /** Each variable of the schema set or not, set to a valid value of the setting it is read for. */
    private static Gen<Map<String, String>> environments() {
        Gen<Map<String, String>> environments = constant(Map::of);
        for (String variable : SCHEMA.variables().keySet()) {
            Gen<Optional<String>> value = booleans().flatMap(set -> set
                    ? SettingValues.valid(primarySetting(variable)).map(Optional::of)
                    : constant(Optional.empty()));
            environments = environments.zip(value, (map, given) -> {
                if (given.isEmpty()) {
                    return map;
                }
                Map<String, String> more = new LinkedHashMap<>(map);
                more.put(variable, given.get());
                return more;
            });
        }
        return environments;
    }

    /** The setting whose whole value the variable is (MCP_DATA_DIR is also part of others). */
    static Setting primarySetting(String variable) {
        return SCHEMA.all().stream()
                     .filter(setting -> setting.rawValue() != null
                             && setting.rawValue().startsWith("${" + variable + ":")
                             && setting.rawValue().endsWith("}")
                             && Settings.Placeholder.all(setting.rawValue()).size() == 1
                             && setting.rawValue().length() == placeholderLength(setting.rawValue()))
                     .findFirst()
                     .orElseThrow(() -> new AssertionError("no setting is read from " + variable + " alone"));
    }

    private static int placeholderLength(String raw) {
        Settings.Placeholder placeholder = Settings.Placeholder.all(raw).get(0);
        return ("${" + placeholder.name() + (placeholder.defaultValue() == null ? "" : ":" + placeholder.defaultValue())
                + "}").length();
    }
}
