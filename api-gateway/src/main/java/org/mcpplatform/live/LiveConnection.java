package org.mcpplatform.live;

import org.mcpplatform.security.PlatformUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One subscriber's connection (a WebSocket or an SSE stream): its user, its topics and its outgoing queue.
 * <p>
 * Messages are queued and written by a pool thread, never by the thread that fans an event out: a client that does
 * not read blocks only the write to itself, its queue grows, and once the queue holds more than the send buffer the
 * connection is closed (Spring's ConcurrentWebSocketSessionDecorator bounds the buffer the same way but writes on the
 * caller's thread, which would stall every other subscriber behind one slow client).
 */
public abstract class LiveConnection {

    private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

    /** One queued message: JSON data, the SSE id (position) if any, or a heartbeat; or the end of the connection. */
    public record Outgoing(String data, Long id, boolean heartbeat, String closeReason) {

        public Outgoing(String data, Long id, boolean heartbeat) {
            this(data, id, heartbeat, null);
        }
    }

    private final String connectionId = UUID.randomUUID().toString();
    private final Set<Topic> topics = ConcurrentHashMap.newKeySet();
    private final Executor senders;
    private final long maxQueuedBytes;
    private final Object lock = new Object();
    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean draining;
    private volatile boolean closed;
    private volatile PlatformUser user;
    /** When the access token the connection authenticated with expires; null for API keys. */
    private volatile java.time.Instant credentialExpiresAt;
    /** Events that arrived while the connection was catching up from the event store; null when live. */
    private List<LiveEvent> held;
    /**
     * Ids of the last events sent while catching up: the relay may deliver the same events live later, even after the
     * hand-over (it can lag behind the event store), and they must not be sent twice.
     */
    private Set<String> caughtUp;
    private static final int REMEMBERED_CATCH_UP_IDS = 10_000;

    protected LiveConnection(Executor senders, long maxQueuedBytes) {
        this.senders = senders;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public String connectionId() {
        return connectionId;
    }

    public PlatformUser user() {
        return user;
    }

    public void authenticated(PlatformUser user) {
        this.user = user;
    }

    public java.time.Instant credentialExpiresAt() {
        return credentialExpiresAt;
    }

    public void credentialExpiresAt(java.time.Instant expiresAt) {
        this.credentialExpiresAt = expiresAt;
    }

    public boolean authenticated() {
        return user != null;
    }

    public Set<Topic> topics() {
        return topics;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The kind of transport, for metrics and logs. */
    public abstract String transport();

    /** Writes one message; blocks while the client does not read (bounded by the transport's send timeout). */
    protected abstract void transmit(Outgoing message) throws IOException;

    /** Closes the transport; {@code reason} is for the client (WebSocket close reason) and the log. */
    protected abstract void closeTransport(String reason, boolean policyViolation);

    /** Queues a message; false (and the connection closed) when the client has fallen too far behind. */
    public boolean send(Outgoing message) {
        boolean overflow = false;
        boolean startDrain = false;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            long size = sizeOf(message);
            if (queuedBytes + size > maxQueuedBytes && !queue.isEmpty()) {
                overflow = true;
            } else {
                queue.add(message);
                queuedBytes += size;
                startDrain = !draining;
                draining = true;
            }
        }
        if (overflow) {
            log.warn("Live {} connection {} of user {} closed: its send buffer is full (the client does not read)",
                     transport(), connectionId, user == null ? null : user.id());
            close("send buffer full: the client does not read", true);
            return false;
        }
        if (startDrain) {
            try {
                senders.execute(this::drain);
            } catch (RejectedExecutionException e) {
                close("the platform is shutting down", false);
                return false;
            }
        }
        return true;
    }

    private static long sizeOf(Outgoing message) {
        return message.data() == null ? 16 : message.data().length();
    }

    private void drain() {
        while (true) {
            Outgoing next;
            synchronized (lock) {
                next = closed ? null : queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                queuedBytes -= sizeOf(next);
                lock.notifyAll();
            }
            if (next.closeReason() != null) {
                close(next.closeReason(), true);
                return;
            }
            try {
                transmit(next);
            } catch (IOException | RuntimeException e) {
                log.debug("Live {} connection {} failed to send: {}", transport(), connectionId, e.toString());
                close("send failed", false);
                return;
            }
        }
    }

    /**
     * Waits until at most half the send buffer is used (or the connection is closed): catching up from the event
     * store produces events as fast as it reads them, and must not cut off a client that reads at a normal pace.
     */
    void awaitRoom() throws InterruptedException {
        synchronized (lock) {
            while (!closed && queuedBytes > maxQueuedBytes / 2) {
                lock.wait(100);
            }
        }
    }

    /** Closes the connection once what is queued before has been sent (a last error message, say). */
    public void closeAfterSending(String reason) {
        if (!send(new Outgoing(null, null, false, reason))) {
            close(reason, true);
        }
    }

    /** Closes the connection once: nothing more is sent, and its transport is closed. */
    public void close(String reason, boolean policyViolation) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        closeTransport(reason, policyViolation);
    }

    /** Called once the transport is gone (by the client, the network or us): releases what the connection held. */
    public void onClosed() {
        synchronized (lock) {
            closed = true;
            queue.clear();
            queuedBytes = 0;
            held = null;
            caughtUp = null;
        }
        topics.clear();
    }

    /** From now until {@link #live} the hub's events are held back while the connection reads the event store. */
    void holdLiveEvents() {
        synchronized (lock) {
            held = new ArrayList<>();
            caughtUp = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_CATCH_UP_IDS;
                }
            });
        }
    }

    /** Whether this event was already sent from the event store while catching up. */
    boolean sentWhileCatchingUp(String eventId) {
        synchronized (lock) {
            return caughtUp != null && caughtUp.contains(eventId);
        }
    }

    boolean holdIfCatchingUp(LiveEvent event) {
        synchronized (lock) {
            if (held == null) {
                return false;
            }
            held.add(event);
            return true;
        }
    }

    void caughtUp(String eventId) {
        synchronized (lock) {
            if (caughtUp != null) {
                caughtUp.add(eventId);
            }
        }
    }

    /** Ends catching up: returns the held events not already sent from the event store, in arrival order. */
    Collection<LiveEvent> live() {
        synchronized (lock) {
            List<LiveEvent> pending = held == null ? List.of()
                    : held.stream().filter(event -> !caughtUp.contains(event.eventId())).toList();
            held = null;
            return pending;
        }
    }

    /** Synchronises the hand-over from catching up to live delivery with the hub's deliveries. */
    Object handOverLock() {
        return lock;
    }
}
