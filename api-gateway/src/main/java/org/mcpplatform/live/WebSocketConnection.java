package org.mcpplatform.live;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/** A subscriber on {@code /ws}. */
class WebSocketConnection extends LiveConnection {

    /** Tomcat's bound on one blocking write to a client that does not read. */
    private static final String TOMCAT_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final WebSocketSession session;
    private final String clientAddress;
    private volatile ScheduledFuture<?> authTimeout;

    WebSocketConnection(WebSocketSession session, String clientAddress, Executor senders, long maxQueuedBytes,
                        Duration sendTimeout) {
        super(senders, maxQueuedBytes);
        this.session = session;
        this.clientAddress = clientAddress;
        if (session instanceof StandardWebSocketSession standard) {
            standard.getNativeSession().getUserProperties().put(TOMCAT_SEND_TIMEOUT, sendTimeout.toMillis());
        }
    }

    @Override
    public String transport() {
        return "websocket";
    }

    String clientAddress() {
        return clientAddress;
    }

    void authTimeout(ScheduledFuture<?> timeout) {
        this.authTimeout = timeout;
    }

    void cancelAuthTimeout() {
        ScheduledFuture<?> timeout = authTimeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    protected void transmit(Outgoing message) throws IOException {
        session.sendMessage(new TextMessage(message.data()));
    }

    @Override
    protected void closeTransport(String reason, boolean policyViolation) {
        try {
            CloseStatus status = policyViolation ? CloseStatus.POLICY_VIOLATION : CloseStatus.NORMAL;
            session.close(status.withReason(reason.length() > 120 ? reason.substring(0, 120) : reason));
        } catch (IOException | RuntimeException e) {
            // the client is gone already
        }
    }
}
