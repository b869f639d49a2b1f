package org.mcpplatform.common;

/** The client's If-Match revision is not the resource's current revision. */
public class RevisionMismatchException extends DomainException {

    private final long expected;
    private final long actual;

    public RevisionMismatchException(long expected, long actual) {
        super("Resource revision is " + actual + ", not the expected " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
