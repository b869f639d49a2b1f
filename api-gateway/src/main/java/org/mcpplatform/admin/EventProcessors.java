package org.mcpplatform.admin;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.projection.ProjectionRebuilds;
import org.mcpplatform.projection.RebuildStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an operator sees of, and does with, Axon's event processors: their positions against the event store's head,
 * their segments, replays and rebuilds ({@link ProjectionRebuilds}), and the processing groups' dead-letter queues.
 * <p>
 * A processor's name is taken as its processing group for the dead-letter queue: the platform registers every
 * queue-carrying processor under its group's name.
 */
@Component
public class EventProcessors {

    private static final Logger log = LoggerFactory.getLogger(EventProcessors.class);
    /** A retry handles at most this many sequences per request, so that one request cannot run for ever. */
    static final int MAX_RETRIED_SEQUENCES = 1_000;
    /** Rate samples older than this say nothing about the current pace of a replay. */
    private static final long MAX_SAMPLE_AGE_NANOS = 60_000_000_000L;
    private static final long MIN_SAMPLE_AGE_NANOS = 200_000_000L;

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final TokenStore tokenStore;
    private final ProjectionRebuilds rebuilds;
    /** The last replay position read per processor, to measure events per second between two reads. */
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();

    private record Sample(long position, long nanos) {
    }

    public EventProcessors(EventProcessingConfiguration processing, EventStore eventStore, TokenStore tokenStore,
                           ProjectionRebuilds rebuilds) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.tokenStore = tokenStore;
        this.rebuilds = rebuilds;
    }

    public List<ProcessorView> list() {
        long head = headPosition();
        Map<String, RebuildStatus> rebuilt = rebuilds.statuses();
        return processing.eventProcessors().values().stream()
                         .sorted(Comparator.comparing(EventProcessor::getName))
                         .map(processor -> view(processor, head, rebuilt.get(processor.getName())))
                         .toList();
    }

    /**
     * How many events each streaming processor is behind the event store's head, as {@link #list()} tells it, for
     * the processors with a segment claimed on this node (another node's progress is not in this node's memory).
     * Reads the head and nothing else: no token store, no dead-letter queue.
     */
    public Map<String, Long> lags() {
        long head = headPosition();
        Map<String, Long> lags = new TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                lowestPosition(streaming.processingStatus()).ifPresent(position -> lags.put(name, lag(head, position)));
            }
        });
        return lags;
    }

    /**
     * Rebuilds the read model {@code name} feeds beside the live one (404 for an unknown processor; 409 when one runs
     * already or the processor feeds no rebuildable read model) and answers the processor as it now is.
     */
    public ProcessorView rebuild(String name, String requestedBy) {
        EventProcessor processor = processing.eventProcessors().get(name);
        if (processor == null) {
            throw new NotFoundException("event processor", name);
        }
        RebuildStatus started = rebuilds.request(name, requestedBy);
        return view(processor, headPosition(), started);
    }

    public List<DeadLetterView> deadLetters(String name) {
        Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = queue(name);
        List<DeadLetterView> letters = new ArrayList<>();
        if (queue.isEmpty()) {
            return letters;
        }
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.get().deadLetters()) {
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                letters.add(view(letter));
            }
        }
        return letters;
    }

    /**
     * Hands each parked sequence once more to the processing group's handlers, oldest first. A sequence that fails
     * again goes back to the queue (touched, so the next attempt takes another sequence), and the loop goes on with
     * the others: one poisonous sequence does not keep the rest parked.
     */
    public DeadLetterView.RetryResult retry(String name) {
        Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = queue(name);
        Optional<SequencedDeadLetterProcessor<EventMessage<?>>> retrier =
                processing.sequencedDeadLetterProcessor(name);
        if (queue.isEmpty() || retrier.isEmpty()) {
            return new DeadLetterView.RetryResult(0, 0);
        }
        long before = queue.get().size();
        long sequences = Math.min(queue.get().amountOfSequences(), MAX_RETRIED_SEQUENCES);
        for (long attempt = 0; attempt < sequences; attempt++) {
            retrier.get().processAny();
        }
        long remaining = queue.get().size();
        return new DeadLetterView.RetryResult(Math.max(0, before - remaining), remaining);
    }

    private Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue(String name) {
        if (!processing.eventProcessors().containsKey(name)) {
            throw new NotFoundException("event processor", name);
        }
        return processing.deadLetterQueue(name);
    }

    private ProcessorView view(EventProcessor processor, long head, RebuildStatus rebuild) {
        String name = processor.getName();
        Long deadLetters = processing.deadLetterQueue(name).map(SequencedDeadLetterQueue::size).orElse(null);
        ProcessorView.Rebuild lastRebuild = rebuild == null ? null : new ProcessorView.Rebuild(
                rebuild.rebuildId(), rebuild.phase().value(), rebuild.requestedBy(), rebuild.startedAt(),
                rebuild.finishedAt(), rebuild.error());
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            // a subscribing processor handles events as they are published: it has no position to lag behind
            return new ProcessorView(name, processor.isRunning() ? "running" : "stopped", null, head, null,
                                     List.of(), false, deadLetters, null, lastRebuild);
        }
        Map<Integer, EventTrackerStatus> claimed = streaming.processingStatus();
        List<ProcessorView.SegmentView> segments = segments(name, claimed);
        OptionalLong lowest = lowestPosition(claimed);
        Long position = lowest.isPresent() ? lowest.getAsLong() : null;
        boolean error = claimed.values().stream().anyMatch(EventTrackerStatus::isErrorState);
        boolean replaying = claimed.values().stream().anyMatch(EventTrackerStatus::isReplaying);
        String status = error ? "error" : processor.isRunning() ? "running" : "stopped";
        Long lag = position == null ? null : lag(head, position);
        ProcessorView.ReplayProgress progress = replaying ? progress(name, claimed, position) : null;
        if (!replaying) {
            samples.remove(name);
        }
        if (rebuild != null && rebuild.active()) {
            // the shadow tables' progress, which the node running the rebuild records for every node to see
            replaying = true;
            progress = new ProcessorView.ReplayProgress(rebuild.done(), Math.max(rebuild.done(), rebuild.total()),
                                                        rebuild.eventsPerSecond(), rebuild.etaSeconds());
        }
        return new ProcessorView(name, status, position, head, lag, segments, replaying, deadLetters, progress,
                                 lastRebuild);
    }

    /** This node's segments, and those the token store knows of that another node (or nobody) claims. */
    private List<ProcessorView.SegmentView> segments(String name, Map<Integer, EventTrackerStatus> claimed) {
        Map<Integer, ProcessorView.SegmentView> segments = new TreeMap<>();
        claimed.forEach((id, status) -> segments.put(id, new ProcessorView.SegmentView(
                id, status.getSegment().getMask(), true, status.isCaughtUp(), status.isReplaying(), position(status),
                status.isErrorState() ? errorText(status.getError()) : null)));
        int[] all = knownSegments(name);
        for (int id : all) {
            if (!segments.containsKey(id)) {
                Segment segment = Segment.computeSegment(id, all);
                segments.put(id, new ProcessorView.SegmentView(id, segment.getMask(), false, null, null, null, null));
            }
        }
        return List.copyOf(segments.values());
    }

    private int[] knownSegments(String name) {
        try {
            return tokenStore.fetchSegments(name);
        } catch (RuntimeException e) {
            // the claimed segments are still worth showing when the token store cannot be read
            log.warn("cannot read the segments of processor {} from the token store: {}", name, e.toString());
            return new int[0];
        }
    }

    /**
     * A replay runs from the first event up to the position the processor had reached when it was reset: that
     * position is the total, the lowest segment position the done part.
     */
    private ProcessorView.ReplayProgress progress(String name, Map<Integer, EventTrackerStatus> claimed,
                                                  Long position) {
        long total = claimed.values().stream()
                            .map(EventTrackerStatus::getResetPosition)
                            .filter(OptionalLong::isPresent)
                            .mapToLong(OptionalLong::getAsLong)
                            .max().orElse(0);
        long done = position == null ? 0 : Math.min(position, total);
        long now = System.nanoTime();
        Sample previous = samples.get(name);
        Double perSecond = null;
        if (previous != null && now - previous.nanos() >= MIN_SAMPLE_AGE_NANOS
                && now - previous.nanos() <= MAX_SAMPLE_AGE_NANOS && done >= previous.position()) {
            perSecond = (done - previous.position()) / ((now - previous.nanos()) / 1e9);
        }
        if (previous == null || now - previous.nanos() >= MIN_SAMPLE_AGE_NANOS) {
            samples.put(name, new Sample(done, now));
        }
        Long eta = perSecond == null || perSecond <= 0 ? null : (long) Math.ceil((total - done) / perSecond);
        return new ProcessorView.ReplayProgress(done, total, perSecond, eta);
    }

    private long headPosition() {
        TrackingToken head = eventStore.createHeadToken();
        // no token: the store holds no event yet
        return head == null ? 0 : head.position().orElse(0);
    }

    /** The position of the claimed segment that is furthest behind; empty when this node claims none. */
    private static OptionalLong lowestPosition(Map<Integer, EventTrackerStatus> claimed) {
        return claimed.values().stream().mapToLong(EventProcessors::position).min();
    }

    private static long lag(long head, long position) {
        return Math.max(0, head - position);
    }

    /** A segment that has not handled any event yet (no token) stands before the first position. */
    private static long position(EventTrackerStatus status) {
        return status.getCurrentPosition().orElse(0);
    }

    private static String errorText(Throwable error) {
        return error == null ? null : error.getClass().getName() + ": " + error.getMessage();
    }

    private static DeadLetterView view(DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> message = letter.message();
        Object sequence = letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getSequenceIdentifier()
                : letter instanceof GenericDeadLetter<?> generic ? generic.getSequenceIdentifier() : null;
        String aggregateId = message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        DeadLetterView.Cause cause = letter.cause()
                                           .map(c -> new DeadLetterView.Cause(c.type(), c.message()))
                                           .orElse(null);
        return new DeadLetterView(sequence == null ? null : sequence.toString(), message.getIdentifier(),
                                  message.getPayloadType().getSimpleName(), aggregateId, letter.enqueuedAt(),
                                  letter.lastTouched(), cause, letter.diagnostics());
    }
}
