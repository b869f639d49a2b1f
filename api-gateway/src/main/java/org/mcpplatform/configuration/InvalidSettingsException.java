package org.mcpplatform.configuration;

import java.util.List;
import java.util.stream.Collectors;

/** Settings that are missing or invalid; the platform does not start with them. */
public class InvalidSettingsException extends RuntimeException {

    private final List<SettingProblem> problems;

    public InvalidSettingsException(List<SettingProblem> problems) {
        super(problems.stream().map(SettingProblem::describe).collect(Collectors.joining("; ", "Invalid settings: ", "")));
        this.problems = List.copyOf(problems);
    }

    public List<SettingProblem> problems() {
        return problems;
    }
}
