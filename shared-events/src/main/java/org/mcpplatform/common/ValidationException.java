package org.mcpplatform.common;

import java.util.List;

/** A command or request whose fields break the rules; carries one entry per failing field. */
public class ValidationException extends DomainException {

    private final List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super("Request validation failed: " + violations.size() + " field(s) invalid");
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
