package org.mcpplatform.identity;

/** Every event of a user account; none carries a password, a hash or a key. */
public interface UserEvent {

    String userId();
}
