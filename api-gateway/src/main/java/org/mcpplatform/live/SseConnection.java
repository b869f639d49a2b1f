package org.mcpplatform.live;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.concurrent.Executor;

/** A subscriber on {@code GET /api/v1/events}: each event's SSE id is its position in the event store. */
class SseConnection extends LiveConnection {

    private final SseEmitter emitter;
    /** Set once a write failed: Spring then ends the response itself, and completing it again only errs. */
    private volatile boolean failed;

    SseConnection(SseEmitter emitter, Executor senders, long maxQueuedBytes) {
        super(senders, maxQueuedBytes);
        this.emitter = emitter;
    }

    @Override
    public String transport() {
        return "sse";
    }

    @Override
    protected void transmit(Outgoing message) throws IOException {
        try {
            write(message);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void write(Outgoing message) throws IOException {
        if (message.heartbeat()) {
            emitter.send(SseEmitter.event().comment("heartbeat"));
            return;
        }
        SseEmitter.SseEventBuilder event = SseEmitter.event();
        if (message.id() != null) {
            event.id(Long.toString(message.id()));
        }
        emitter.send(event.data(message.data(), MediaType.APPLICATION_JSON));
    }

    @Override
    protected void closeTransport(String reason, boolean policyViolation) {
        if (failed) {
            return;
        }
        try {
            emitter.complete();
        } catch (RuntimeException e) {
            // the client is gone already
        }
    }
}
