package org.mcpplatform.common;

import org.axonframework.common.AxonNonTransientException;

/**
 * A command the domain refuses. Non-transient on purpose: the command gateway's retry scheduler retries only
 * failures that may pass on a second attempt (a concurrent append), never a refusal.
 */
public abstract class DomainException extends AxonNonTransientException {

    protected DomainException(String message) {
        super(message);
    }
}
