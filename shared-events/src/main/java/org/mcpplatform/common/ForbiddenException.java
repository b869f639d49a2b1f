package org.mcpplatform.common;

/** The acting user may not do this (403). */
public class ForbiddenException extends DomainException {

    public ForbiddenException(String message) {
        super(message);
    }
}
