package org.mcpplatform.live;

import java.util.List;

/** One node (the embedded default): the relay hands events straight to the node's hub. */
public class InProcessFanOut implements LiveFanOut {

    private final LiveHub hub;

    public InProcessFanOut(LiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void publish(List<LiveEvent> events) {
        events.forEach(hub::publish);
    }

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public String kind() {
        return "in-process";
    }
}
