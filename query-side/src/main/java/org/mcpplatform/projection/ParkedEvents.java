package org.mcpplatform.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A processing group's dead-letter queue that also remembers, in the unit of work, which events it parked.
 * <p>
 * A tracking processor handles a batch of events in one unit of work, and when one handler of the group fails on an
 * event, Axon parks the event and goes on with the next: the group's other handlers may already have handled it. A
 * projection that only stages its writes until the batch commits (as the tool projection does) asks
 * {@link #parkedIn(UnitOfWork)} at commit time and leaves the parked events out, so that an event is either in the
 * read model or in the queue, never both.
 */
public class ParkedEvents implements SequencedDeadLetterQueue<EventMessage<?>> {

    private static final String RESOURCE = ParkedEvents.class.getName();

    private final SequencedDeadLetterQueue<EventMessage<?>> queue;

    public ParkedEvents(SequencedDeadLetterQueue<EventMessage<?>> queue) {
        this.queue = queue;
    }

    /** Identifiers of the events parked while {@code unitOfWork} (or its root) ran. */
    public static Set<String> parkedIn(UnitOfWork<?> unitOfWork) {
        Set<String> parked = unitOfWork.root().getResource(RESOURCE);
        return parked == null ? Set.of() : parked;
    }

    @Override
    public void enqueue(Object sequenceIdentifier, DeadLetter<? extends EventMessage<?>> letter) {
        queue.enqueue(sequenceIdentifier, letter);
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root()
                .<Set<String>>getOrComputeResource(RESOURCE, key -> new HashSet<>())
                .add(letter.message().getIdentifier()));
    }

    @Override
    public boolean enqueueIfPresent(Object sequenceIdentifier,
                                    Supplier<DeadLetter<? extends EventMessage<?>>> letterBuilder) {
        // an event queued behind a parked one was never handled: nothing to leave out
        return queue.enqueueIfPresent(sequenceIdentifier, letterBuilder);
    }

    @Override
    public void evict(DeadLetter<? extends EventMessage<?>> letter) {
        queue.evict(letter);
    }

    @Override
    public void requeue(DeadLetter<? extends EventMessage<?>> letter,
                        UnaryOperator<DeadLetter<? extends EventMessage<?>>> letterUpdater) {
        queue.requeue(letter, letterUpdater);
    }

    @Override
    public boolean contains(Object sequenceIdentifier) {
        return queue.contains(sequenceIdentifier);
    }

    @Override
    public Iterable<DeadLetter<? extends EventMessage<?>>> deadLetterSequence(Object sequenceIdentifier) {
        return queue.deadLetterSequence(sequenceIdentifier);
    }

    @Override
    public Iterable<Iterable<DeadLetter<? extends EventMessage<?>>>> deadLetters() {
        return queue.deadLetters();
    }

    @Override
    public boolean isFull(Object sequenceIdentifier) {
        return queue.isFull(sequenceIdentifier);
    }

    @Override
    public long size() {
        return queue.size();
    }

    @Override
    public long sequenceSize(Object sequenceIdentifier) {
        return queue.sequenceSize(sequenceIdentifier);
    }

    @Override
    public long amountOfSequences() {
        return queue.amountOfSequences();
    }

    @Override
    public boolean process(Predicate<DeadLetter<? extends EventMessage<?>>> sequenceFilter,
                           Function<DeadLetter<? extends EventMessage<?>>,
                                   EnqueueDecision<EventMessage<?>>> processingTask) {
        return queue.process(sequenceFilter, processingTask);
    }

    @Override
    public void clear() {
        queue.clear();
    }
}
