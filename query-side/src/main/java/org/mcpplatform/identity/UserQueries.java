package org.mcpplatform.identity;

import org.axonframework.queryhandling.QueryHandler;

import java.util.List;

/** Answers user and API key queries from the users and api_keys tables. */
public class UserQueries {

    private final UserReadRepository repository;

    public UserQueries(UserReadRepository repository) {
        this.repository = repository;
    }

    /** The user, deactivated ones included (callers tell them by {@code active}); null if never registered. */
    @QueryHandler
    public UserView handle(FindUserById query) {
        return query.userId() == null ? null : repository.findUserById(query.userId()).orElse(null);
    }

    @QueryHandler
    public UserView handle(FindUserByUsername query) {
        return query.username() == null ? null : repository.findUserByUsername(query.username()).orElse(null);
    }

    /** Revoked and expired keys included; an unknown user has no keys. */
    @QueryHandler
    public ApiKeyList handle(ListApiKeys query) {
        return new ApiKeyList(query.userId() == null ? List.of() : repository.keysOf(query.userId()));
    }

    @QueryHandler
    public ApiKeyView handle(FindApiKey query) {
        return query.keyId() == null ? null : repository.findKey(query.keyId()).orElse(null);
    }
}
