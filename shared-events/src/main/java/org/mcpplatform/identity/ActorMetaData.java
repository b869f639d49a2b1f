package org.mcpplatform.identity;

/**
 * Metadata keys every command carries and every event inherits through correlation: who acted, and in which
 * request. The audit trail reads them back from the event store.
 */
public final class ActorMetaData {

    public static final String USER_ID = "userId";
    public static final String REQUEST_ID = "requestId";
    /** The acting user's role ({@link Role#value()}) when the command was sent. */
    public static final String ROLE = "role";
    /** The user id of commands the platform sends on its own behalf (bootstrap, sagas). */
    public static final String SYSTEM_USER = "system";

    private ActorMetaData() {
    }
}
