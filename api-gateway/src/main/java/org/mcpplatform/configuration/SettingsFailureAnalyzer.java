package org.mcpplatform.configuration;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a start that failed on a setting into a short report: per setting the environment variable, the value given
 * (unless it is a credential) and what is expected. It takes precedence over Spring Boot's own analyzers, which name
 * the key and the line of application.yml, not the variable an operator sets.
 */
public class SettingsFailureAnalyzer implements FailureAnalyzer, Ordered {

    private final Environment environment;

    /**
     * @param environment to resolve values as application.yml writes them (${MCP_X:default}); null when the start
     *                    failed before there was one, and the values are shown as written
     */
    public SettingsFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    static final String ACTION = "Set each variable named above to a valid value, or unset it to use its default. "
            + "README.md (Configuration) lists every variable.";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            List<SettingProblem> problems = problems(cause);
            if (problems != null) {
                return new FailureAnalysis(description(problems), ACTION, cause);
            }
        }
        return null;
    }

    private List<SettingProblem> problems(Throwable cause) {
        if (cause instanceof InvalidSettingsException invalid) {
            return invalid.problems();
        }
        if (cause instanceof BindException binding) {
            return SettingProblem.of(binding, environment, Settings.schema());
        }
        if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
            return List.of(SettingProblem.of(invalid, Settings.schema()));
        }
        return null;
    }

    static String description(List<SettingProblem> problems) {
        String count = problems.size() == 1 ? "a setting is" : problems.size() + " settings are";
        return "The platform did not start: " + count + " missing or invalid.\n\n"
                + problems.stream().map(problem -> "    " + problem.describe()).collect(Collectors.joining("\n"));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
