package org.mcpplatform.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends a command from a request and waits for it, at most the configured command timeout. Every command handler of
 * the platform answers the aggregate's revision after the command; a missing answer means the wait ran out.
 */
@Component
public class Commands {

    private final CommandGateway gateway;
    private final ApiProperties properties;

    public Commands(CommandGateway gateway, ApiProperties properties) {
        this.gateway = gateway;
        this.properties = properties;
    }

    /** The revision of the command's aggregate after the command; refusals are thrown as they are. */
    public long send(Object command) {
        Object result = gateway.sendAndWait(command, properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!(result instanceof Long revision)) {
            throw new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
                                 "The command was not confirmed in time; retry the request", Map.of());
        }
        return revision;
    }
}
