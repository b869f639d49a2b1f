package org.mcpplatform.security;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.web.RequestIds;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Stamps every command with who sent it and in which request, from the security context and the request id. The
 * events the command causes inherit both (correlation data), which is what the audit trail shows.
 */
@Component
public class ActorMetaDataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        // commands sent outside a request (bootstrap, sagas) carry their actor already: merged, not replaced
        Map<String, Object> actor = new HashMap<>();
        if (authentication != null && authentication.getPrincipal() instanceof PlatformUser user) {
            actor.put(ActorMetaData.USER_ID, user.id());
            actor.put(ActorMetaData.ROLE, user.role().value());
        }
        actor.put(ActorMetaData.REQUEST_ID, RequestIds.current());
        return (index, command) -> command.andMetaData(actor);
    }
}
