package org.mcpplatform.migration;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a failed migration at start-up as what happened and what to do, instead of a stack trace. */
public class MigrationFailureAnalyzer extends AbstractFailureAnalyzer<MigrationFailedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MigrationFailedException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
