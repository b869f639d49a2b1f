package org.mcpplatform.configuration;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Settings that are wrong stop the start, and the report says which environment variable to fix and how: bound and
 * validated as {@link SettingsCheck} does at every start, reported by the {@link SettingsFailureAnalyzer} Spring Boot
 * calls. {@link InvalidConfigurationStartTest} drives real starts.
 */
class InvalidConfigurationRejectionPropertiesTest {

    private static final Settings SCHEMA = Settings.schema();
    /** Settings that take any text: what makes them wrong is found when they are used (a PEM, a file). */
    private static final Set<String> FREE_TEXT = Set.of("mcp.read-model.username", "mcp.read-model.password",
                                                        "mcp.cache.key-prefix", "mcp.gateway.resource-name",
                                                        "mcp.identity.admin-username", "mcp.identity.admin-email",
                                                        "mcp.tokens.private-key-pem", "mcp.tokens.public-key-pem",
                                                        "mcp.tokens.private-key-file", "mcp.tokens.public-key-file");

    /** Each variable once, by the setting it is the whole value of. */
    private static final List<Setting> VARIABLES = SCHEMA.variables().keySet().stream()
            .map(EnvironmentConfigurationLoadingPropertiesTest::primarySetting).toList();
    private static final List<Setting> CONSTRAINED = VARIABLES.stream()
            .filter(setting -> !FREE_TEXT.contains(setting.property())).toList();

    record Invalid(Setting setting, String value) {
        @Override
        public String toString() {
            return setting.name() + "=\"" + value + "\"";
        }
    }

    @Test
    void everySettingButFreeTextHasValuesItRefuses() {
        assertThat(VARIABLES.stream().filter(setting -> SettingValues.invalid(setting).isEmpty())
                            .map(Setting::property))
                .as("settings without invalid values: constrain them, or list them as free text")
                .containsExactlyInAnyOrderElementsOf(FREE_TEXT);
    }

    // Property 50: Invalid Configuration Rejection — for any setting and any value it refuses (not of its type, out
    // of its range, not of its shape, empty where a value is required) given in the environment, the platform does
    // not start: the report names that variable and no other, shows the value unless it is a credential, and says
    // what is expected.
    @Test
    void anInvalidSettingStopsTheStartNamingItsVariableAndWhatItExpects() {
        qt().withExamples(200).forAll(invalidSettings()).checkAssert(invalid -> {
            StandardEnvironment environment = SettingsEnvironments.of(Map.of(invalid.setting().name(),
                                                                             invalid.value()));
            InvalidSettingsException refused = catchThrowableOfType(InvalidSettingsException.class,
                                                                    () -> SCHEMA.bind(environment));

            assertThat(refused).as("the start goes on with " + invalid).isNotNull();
            assertThat(refused.problems()).extracting(SettingProblem::name).containsOnly(invalid.setting().name());
            String report = report(refused, environment);
            assertThat(report).contains(invalid.setting().name() + (invalid.setting().secret() ? ""
                    : "=\"" + invalid.value() + "\""))
                              .contains("expected " + invalid.setting().expected());
            if (invalid.setting().secret() && !invalid.value().isBlank()) {
                assertThat(report).doesNotContain(invalid.value()).contains("(value not shown)");
            }
        });
    }

    // Property 50: Invalid Configuration Rejection — for any few settings given invalid values at once, the one
    // report names every one of them, so that an operator fixes them in one go.
    @Test
    void everyInvalidSettingIsReportedAtOnce() {
        qt().withExamples(60).forAll(lists().of(invalidSettings()).ofSizeBetween(2, 5)).checkAssert(invalids -> {
            Map<String, String> variables = new LinkedHashMap<>();
            invalids.forEach(invalid -> variables.putIfAbsent(invalid.setting().name(), invalid.value()));
            StandardEnvironment environment = SettingsEnvironments.of(variables);
            InvalidSettingsException refused = catchThrowableOfType(InvalidSettingsException.class,
                                                                    () -> SCHEMA.bind(environment));

            assertThat(refused).isNotNull();
            assertThat(refused.problems().stream().map(SettingProblem::name).collect(Collectors.toSet()))
                    .isEqualTo(variables.keySet());
            String report = report(refused, environment);
            variables.keySet().forEach(variable -> assertThat(report).contains(variable));
        });
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(SCHEMA.bind(SettingsEnvironments.of(Map.of()))).hasSize(Settings.MODULES.size());
    }

    @Test
    void aReportReadsAsAnOperatorNeedsIt() {
        StandardEnvironment environment = SettingsEnvironments.of(Map.of(
                "MCP_GATEWAY_REQUEST_TIMEOUT", "soon",
                "MCP_ADMIN_PASSWORD", "short",
                "REDIS_URL", "http://cache:secret@redis:6379"));
        InvalidSettingsException refused = catchThrowableOfType(InvalidSettingsException.class,
                                                                () -> SCHEMA.bind(environment));

        assertThat(report(refused, environment)).isEqualTo("""
                The platform did not start: 3 settings are missing or invalid.

                    REDIS_URL="http://cache:***@redis:6379" (mcp.cache.redis-url): expected a Redis URL such as \
                redis://redis:6379/0 (rediss:// for TLS), or nothing to keep the cache in this process
                    MCP_GATEWAY_REQUEST_TIMEOUT="soon" (mcp.gateway.request-timeout): expected a duration of at \
                least 100ms, such as 60s (units ms, s, m, h, d)
                    MCP_ADMIN_PASSWORD (value not shown) (mcp.identity.admin-password): expected a text of 8 to 256 \
                characters""");
    }

    private static Gen<Invalid> invalidSettings() {
        return pick(CONSTRAINED).flatMap(setting -> SettingValues.invalid(setting).orElseThrow()
                                                                 .map(value -> new Invalid(setting, value)));
    }

    /** What Spring Boot prints for the failed start: the analysis of the exception thrown out of the start. */
    private static String report(InvalidSettingsException refused, StandardEnvironment environment) {
        FailureAnalysis analysis = new SettingsFailureAnalyzer(environment)
                .analyze(new IllegalStateException("start failed", refused));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getAction()).contains("README.md");
        return analysis.getDescription();
    }
}
