package org.mcpplatform.gateway;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open Server-Sent Events response (a POST's stream or the session's GET stream) on an async servlet request.
 * <p>
 * Messages are queued and written by a writer thread, never by the thread that sends them: that thread is usually
 * the upstream's reader, shared by every client of the deployment, and a client that does not read its stream must
 * not stall the others. A client that lets {@link #MAX_QUEUED} events pile up is disconnected.
 */
final class SseStream {

    static final int MAX_QUEUED = 1_000;
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final String streamId;
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final Executor writer;
    private final Runnable onClosed;
    private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private final Recorder recorder;
    private volatile boolean finishing;

    /** Keeps the events a stream sends, for a client that resumes it with Last-Event-ID. */
    interface Recorder {
        void record(String streamId, long sequence, byte[] event);
    }

    /**
     * @param streamId unique within the session: event ids are {@code <streamId>-<n>}, unique across the session's
     *                 streams as the spec requires
     * @param onClosed run once when the stream ends, whoever ends it
     */
    SseStream(String streamId, AsyncContext async, HttpServletResponse response, Executor writer, Runnable onClosed) {
        this(streamId, 0, null, async, response, writer, onClosed);
    }

    /**
     * @param lastSequence the sequence of the last event already sent on this logical stream (a resumed stream
     *                     continues its ids)
     * @param recorder     gets every event sent, also after the client went away, or null
     */
    SseStream(String streamId, long lastSequence, Recorder recorder, AsyncContext async, HttpServletResponse response,
              Executor writer, Runnable onClosed) {
        this.streamId = streamId;
        this.recorder = recorder;
        this.sequence.set(lastSequence);
        this.async = async;
        this.response = response;
        this.writer = writer;
        this.onClosed = onClosed;
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                markClosed();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                close();
            }

            @Override
            public void onError(AsyncEvent event) {
                close();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
    }

    /** Sets the SSE headers and sends them at once, so that the client sees the stream open. */
    static void start(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        // nginx and similar proxies would otherwise buffer the stream
        response.setHeader("X-Accel-Buffering", "no");
        response.flushBuffer();
    }

    /** Queues one JSON-RPC message (already serialized, one line) as a {@code message} event. */
    void send(byte[] json) {
        long number = sequence.incrementAndGet();
        String head = "id: " + streamId + "-" + number + "\nevent: message\ndata: ";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] event = new byte[headBytes.length + json.length + 2];
        System.arraycopy(headBytes, 0, event, 0, headBytes.length);
        System.arraycopy(json, 0, event, headBytes.length, json.length);
        event[event.length - 2] = '\n';
        event[event.length - 1] = '\n';
        if (recorder != null) {
            recorder.record(streamId, number, event);
        }
        enqueue(event);
    }

    /** Queues an event as it was recorded (a replay after Last-Event-ID). */
    void replay(byte[] event) {
        enqueue(event);
    }

    /** Continues the numbering of a resumed stream after its last kept event (before anything is sent on it). */
    void continueAfter(long lastSequence) {
        sequence.set(lastSequence);
    }

    String streamId() {
        return streamId;
    }

    /** A comment line: keeps proxies from closing an idle stream and finds out whether the client is gone. */
    void keepAlive() {
        enqueue(KEEP_ALIVE);
    }

    /** Ends the stream once everything queued so far is written (after a POST's response). */
    void finish() {
        finishing = true;
        schedule();
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Ends the stream now. */
    void close() {
        if (markClosed()) {
            try {
                async.complete();
            } catch (IllegalStateException alreadyCompleted) {
                // the container ended it first
            }
        }
    }

    private boolean markClosed() {
        if (closed.compareAndSet(false, true)) {
            pending.clear();
            onClosed.run();
            return true;
        }
        return false;
    }

    private void enqueue(byte[] event) {
        if (closed.get()) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            close();
            return;
        }
        pending.add(event);
        schedule();
    }

    private void schedule() {
        if (!closed.get() && draining.compareAndSet(false, true)) {
            try {
                writer.execute(this::drain);
            } catch (RuntimeException rejected) {
                draining.set(false);
                close();
            }
        }
    }

    private void drain() {
        try {
            boolean wrote = false;
            byte[] event;
            while (!closed.get() && (event = pending.poll()) != null) {
                queued.decrementAndGet();
                response.getOutputStream().write(event);
                wrote = true;
            }
            if (wrote && !closed.get()) {
                response.getOutputStream().flush();
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away; a disconnect is not a cancel, the upstream request runs to its end
            close();
            return;
        } finally {
            draining.set(false);
        }
        if (!pending.isEmpty()) {
            schedule();
        } else if (finishing) {
            close();
        }
    }
}
