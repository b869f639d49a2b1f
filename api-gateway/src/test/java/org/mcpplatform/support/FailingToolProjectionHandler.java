package org.mcpplatform.support;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.mcpplatform.tool.ToolProjection;
import org.mcpplatform.tool.ToolUpdated;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handler in the tool projection's processing group that throws on a ToolUpdated with one description, until
 * healed: how tests park an event in the group's dead-letter queue (the projection itself has no input that makes it
 * throw). A test registers it as a bean, which gives the test class an application context of its own.
 */
@ProcessingGroup(ToolProjection.PROCESSING_GROUP)
public class FailingToolProjectionHandler {

    private final String poison;
    private final AtomicBoolean failing = new AtomicBoolean(true);

    public FailingToolProjectionHandler(String poison) {
        this.poison = poison;
    }

    /** From now on the poisoned description goes through. */
    public void heal() {
        failing.set(false);
    }

    @EventHandler
    void on(ToolUpdated event) {
        if (failing.get() && poison.equals(event.description())) {
            throw new IllegalStateException("simulated projection failure");
        }
    }
}
