package org.mcpplatform.deployment;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.identity.Role;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Commands the platform sends on its own behalf: the command authorization lets only the system user send these. */
public final class SystemCommands {

    private static final MetaData SYSTEM = MetaData.from(Map.of(ActorMetaData.USER_ID, ActorMetaData.SYSTEM_USER,
                                                                ActorMetaData.ROLE, Role.ADMIN.value()));

    private final CommandGateway gateway;

    public SystemCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> CompletableFuture<R> send(Object command) {
        return gateway.send(command, SYSTEM);
    }
}
