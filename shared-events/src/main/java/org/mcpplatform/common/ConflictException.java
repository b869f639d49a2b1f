package org.mcpplatform.common;

/** The command conflicts with the current state of the resource. */
public class ConflictException extends DomainException {

    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
