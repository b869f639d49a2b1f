package org.mcpplatform.configuration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.validation.annotation.Validated;

import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings records, application.yml and the schema agree: every setting a module binds comes from one environment
 * variable with a default, every variable application.yml reads reaches a validated setting, and each module binds
 * its settings through one record.
 */
class SettingsSchemaTest {

    private final Settings schema = Settings.schema();
    private final Map<String, String> applicationYml = Settings.applicationYml();

    @Test
    void everySettingOfEveryModuleIsReadFromAnEnvironmentVariable() {
        assertThat(schema.all()).isNotEmpty();
        assertThat(schema.all().stream().filter(setting -> setting.variable() == null).map(Setting::property))
                .as("settings a record binds but application.yml does not read from a variable")
                .isEmpty();
    }

    @Test
    void everyVariableApplicationYmlReadsReachesASettingOfAModule() {
        Set<String> bound = schema.all().stream().map(Setting::variable).collect(Collectors.toSet());
        assertThat(schema.variables().keySet()).as("variables of application.yml").isNotEmpty();
        assertThat(schema.variables().keySet().stream().filter(variable -> !bound.contains(variable)))
                .as("variables application.yml reads that no settings record binds (so nothing validates them)")
                .isEmpty();
    }

    @Test
    void everyMcpKeyOfApplicationYmlIsBoundByAModule() {
        Set<String> bound = schema.all().stream().map(Setting::property).collect(Collectors.toSet());
        assertThat(applicationYml.keySet().stream().filter(key -> key.startsWith(Settings.PREFIX + "."))
                                 .filter(key -> !bound.contains(key)))
                .as("mcp.* keys of application.yml that no settings record binds")
                .isEmpty();
    }

    @Test
    void springsOwnKeysTakeTheirSettingsFromValidatedKeysNotFromVariables() {
        Map<String, String> readingVariables = new LinkedHashMap<>();
        applicationYml.forEach((key, raw) -> {
            boolean readsVariable = Settings.Placeholder.all(raw).stream()
                                                        .anyMatch(p -> schema.variables().containsKey(p.name()));
            if (!key.startsWith(Settings.PREFIX + ".") && readsVariable) {
                readingVariables.put(key, raw);
            }
        });
        assertThat(readingVariables).as("keys outside mcp.* that read an environment variable directly: refer to "
                                                + "an mcp.* key instead (server.port: ${mcp.http.port})").isEmpty();
        assertThat(applicationYml).containsEntry("server.port", "${mcp.http.port}")
                                  .containsEntry("spring.datasource.url", "${mcp.read-model.url}")
                                  .containsEntry("spring.datasource.password", "${mcp.read-model.password}");
    }

    @Test
    void aVariableHasOneDefaultWhereverItIsRead() {
        Map<String, Set<String>> defaults = new LinkedHashMap<>();
        applicationYml.values().forEach(raw -> collectDefaults(raw, defaults));
        assertThat(defaults.entrySet().stream().filter(entry -> entry.getValue().size() > 1))
                .as("variables with different defaults in different places").isEmpty();
    }

    private void collectDefaults(String raw, Map<String, Set<String>> defaults) {
        for (Settings.Placeholder placeholder : Settings.Placeholder.all(raw)) {
            if (schema.variables().containsKey(placeholder.name())) {
                defaults.computeIfAbsent(placeholder.name(), name -> new java.util.HashSet<>())
                        .add(placeholder.defaultValue() == null ? "" : placeholder.defaultValue());
            }
            if (placeholder.defaultValue() != null) {
                collectDefaults(placeholder.defaultValue(), defaults);
            }
        }
    }

    @Test
    void eachModuleBindsItsSettingsThroughOneValidatedRecord() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> bound = scanner.findCandidateComponents("org.mcpplatform").stream()
                                   .map(candidate -> candidate.getBeanClassName()).collect(Collectors.toSet());

        assertThat(bound).as("@ConfigurationProperties classes: a setting belongs in a section of its module's "
                                     + "record (Settings.MODULES)")
                         .containsExactlyInAnyOrderElementsOf(Settings.MODULES.stream().map(Class::getName).toList());
        for (Class<? extends Record> module : Settings.MODULES) {
            assertThat(module.getAnnotation(Validated.class)).as(module.getSimpleName() + " is validated").isNotNull();
            assertThat(module.getAnnotation(ConfigurationProperties.class).value()).isEqualTo(Settings.PREFIX);
            assertSectionsCascade(module);
        }
    }

    /** A section without @Valid would go unvalidated; without @NotNull, a missing one would go unnoticed. */
    private static void assertSectionsCascade(Class<?> record) {
        for (RecordComponent component : record.getRecordComponents()) {
            if (component.getType().isRecord()) {
                List<Class<? extends Annotation>> annotations = Arrays.stream(fieldOf(record, component)
                                                                                      .getAnnotations())
                        .<Class<? extends Annotation>>map(Annotation::annotationType).toList();
                assertThat(annotations).as(record.getSimpleName() + "." + component.getName())
                                       .contains(Valid.class, NotNull.class);
                assertSectionsCascade(component.getType());
            }
        }
    }

    private static java.lang.reflect.Field fieldOf(Class<?> record, RecordComponent component) {
        try {
            return record.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everySettingSaysWhatItExpects() {
        for (Setting setting : schema.all()) {
            assertThat(setting.expected()).as(setting.property()).isNotBlank().doesNotStartWith("{");
        }
        assertThat(schema.byProperty("mcp.gateway.request-timeout").orElseThrow().expected())
                .isEqualTo("a duration of at least 100ms, such as 60s (units ms, s, m, h, d)");
        assertThat(schema.byProperty("mcp.event-store.batch-size").orElseThrow().expected())
                .isEqualTo("a whole number from 10 to 10000, such as 1000");
        assertThat(schema.byProperty("mcp.log.format").orElseThrow().expected()).isEqualTo("one of json, text");
    }
}
