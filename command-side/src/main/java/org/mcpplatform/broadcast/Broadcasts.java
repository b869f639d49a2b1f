package org.mcpplatform.broadcast;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.stereotype.Component;

/**
 * Sends administrators' broadcasts. A broadcast changes no aggregate's state, so it is published as an event without
 * an aggregate; the event store still keeps it (and who sent it) in the audit trail and in order with the rest.
 */
@Component
public class Broadcasts {

    private final EventBus eventBus;

    public Broadcasts(EventBus eventBus) {
        this.eventBus = eventBus;
    }

    @CommandHandler
    public void handle(SendBroadcast command) {
        eventBus.publish(GenericEventMessage.asEventMessage(
                new BroadcastSent(command.broadcastId(), command.message(), command.severity())));
    }
}
