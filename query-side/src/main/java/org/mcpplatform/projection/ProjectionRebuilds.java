package org.mcpplatform.projection;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.ErrorContext;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.mcpplatform.common.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rebuilds a projection from the first event while its live read model keeps serving, then swaps the rebuilt tables in.
 * <ol>
 * <li><b>preparing</b> (the node that took the request): empty shadow tables beside the live ones
 * ({@link ShadowTables}).</li>
 * <li><b>rebuilding</b>: every node runs a second tracking processor with the projection's handlers bound to the shadow
 * tables ({@link RebuildableProjection#shadowHandlers()}), from the first event; the token store lets one node claim
 * its segment, so the rebuild goes on elsewhere when that node stops. That node records the progress.</li>
 * <li><b>swapping</b>, once it has caught up with the head: every node stops its live processor; the rebuilding node
 * claims the live processor's segments, lets the rebuild pass the position the live read model had reached (readers
 * must not see it go back in time), swaps the tables in one step for readers, gives the live processor the rebuild's
 * token, drops the old tables and forgets the caches.</li>
 * <li><b>done</b> (or <b>failed</b>, with the live tables untouched): the live processors start again everywhere, from
 * where the rebuild stopped.</li>
 * </ol>
 * The state lives in projection_rebuilds, shared by the nodes, which each look at it every
 * {@code mcp.projection.rebuild-tick} on a thread of their own: to take part, to report the progress to their
 * listeners ({@link RebuildObserved}) and to see the end. Queries read the live tables throughout; during the swap
 * (a second or two) the live read model stops following new events, and commands wait for their read-your-writes as
 * they would behind a slow projection.
 */
public class ProjectionRebuilds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);
    /** Failed batches in a row after which a rebuild gives up (Axon retries a failed batch after 1, 2, 4... s). */
    static final int MAX_FAILED_BATCHES = 3;
    /** A node that has said nothing for this long while preparing or swapping is presumed gone. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    /** Longest wait for a segment claim another node holds: it releases it within a tick, or it times out (10 s). */
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(30);
    /** Longest wait, during the swap, for the rebuild to pass the live read model's position. */
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(60);
    private static final long CLAIM_EXTEND_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Map<String, RebuildableProjection> projections = new LinkedHashMap<>();
    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final RebuildStore store;
    private final ShadowTables tables;
    private final JdbcTemplate jdbc;
    private final ProjectionProperties properties;
    private final ApplicationEventPublisher listeners;
    private final Clock clock;
    /** This node among those sharing the read-model database (a process may hold several, as tests do). */
    private final String node = UUID.randomUUID().toString();

    // Touched by the coordinator thread only.
    private final Map<String, LocalRebuild> rebuilding = new HashMap<>();
    private final Set<String> pausedLive = new HashSet<>();
    private final Set<String> concluded = new HashSet<>();
    private Instant startedAt;
    private volatile ScheduledExecutorService coordinator;

    ProjectionRebuilds(List<RebuildableProjection> projections,
                       EventProcessingConfiguration processing,
                       EventStore eventStore,
                       TokenStore tokenStore,
                       TransactionManager transactions,
                       RebuildStore store,
                       ShadowTables tables,
                       JdbcTemplate jdbc,
                       ProjectionProperties properties,
                       ApplicationEventPublisher listeners,
                       Clock clock) {
        projections.forEach(projection -> this.projections.put(projection.processingGroup(), projection));
        this.processing = processing;
        this.eventStore = eventStore;
        this.tokenStore = tokenStore;
        this.transactions = transactions;
        this.store = store;
        this.tables = tables;
        this.jdbc = jdbc;
        this.properties = properties;
        this.listeners = listeners;
        this.clock = clock;
    }

    // ---- what operators ask -----------------------------------------------------------------------------------

    /**
     * Starts rebuilding the projection fed by {@code processor}, unless a rebuild of it runs already (409
     * REBUILD_RUNNING) or it feeds no read model that can be rebuilt (409 NOT_REBUILDABLE: a saga, for instance, whose
     * events cause commands). Returns once the shadow tables exist; the rebuild runs on.
     */
    public RebuildStatus request(String processor, String requestedBy) {
        RebuildableProjection projection = projections.get(processor);
        if (projection == null) {
            throw new ConflictException("NOT_REBUILDABLE", "Processor '" + processor + "' does not feed a read model "
                    + "that can be rebuilt; these do: " + String.join(", ", projections.keySet()));
        }
        String rebuildId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        if (!store.begin(processor, rebuildId, requestedBy, head(), now, now.minus(ABANDONED_AFTER))) {
            RebuildStatus running = store.find(processor).orElseThrow();
            throw new ConflictException("REBUILD_RUNNING", "A rebuild of " + processor + " is already running (phase "
                    + running.phase().value() + ", started " + running.startedAt() + ")");
        }
        try {
            // left by a rebuild that failed or whose node died: the new one starts from the first event
            deleteTokens(projection.rebuildProcessorName());
            tables.create(projection.tables());
        } catch (RuntimeException e) {
            store.failed(rebuildId, "Creating the shadow tables failed: " + e.getMessage(), clock.instant());
            dropShadowsQuietly(projection);
            throw e;
        }
        store.advance(rebuildId, RebuildPhase.PREPARING, RebuildPhase.REBUILDING, clock.instant());
        log.info("Rebuilding projection {} from the first event (rebuild {}, requested by {})", processor, rebuildId,
                 requestedBy);
        wake();
        return store.find(processor).orElseThrow();
    }

    /** The last rebuild of each projection that has been rebuilt, by processor name. */
    public Map<String, RebuildStatus> statuses() {
        Map<String, RebuildStatus> statuses = new LinkedHashMap<>();
        store.all().forEach(status -> statuses.put(status.processor(), status));
        return statuses;
    }

    // ---- every node, every tick -------------------------------------------------------------------------------

    private void wake() {
        ScheduledExecutorService running = coordinator;
        if (running != null) {
            running.execute(this::tick);
        }
    }

    private void tick() {
        try {
            for (RebuildStatus status : store.all()) {
                RebuildableProjection projection = projections.get(status.processor());
                if (projection != null) {
                    follow(status, projection);
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again; the database may be briefly unreachable
            log.warn("Following the projection rebuilds failed: {}", e.toString(), e);
        }
    }

    private void follow(RebuildStatus status, RebuildableProjection projection) {
        switch (status.phase()) {
            case PREPARING -> {
                if (abandoned(status)) {
                    fail(status, projection, "The node preparing the rebuild stopped answering");
                } else {
                    observe(status);
                }
            }
            case REBUILDING -> rebuild(status, projection);
            case SWAPPING -> awaitSwap(status, projection);
            case DONE, FAILED -> ended(status, projection);
        }
    }

    private void rebuild(RebuildStatus status, RebuildableProjection projection) {
        resumeLive(projection); // paused here by a swap another node gave up
        LocalRebuild local = rebuilding.get(projection.processingGroup());
        if (local == null || !local.rebuildId.equals(status.rebuildId())) {
            stopRebuild(projection);
            local = startRebuild(status, projection);
        }
        EventTrackerStatus segment = local.claimedSegment();
        if (segment == null) {
            observe(status); // another node holds the rebuild's segment and reports its progress
            return;
        }
        long position = segment.getCurrentPosition().orElse(0);
        local.measure(position);
        if (local.failures.get() >= MAX_FAILED_BATCHES) {
            fail(status, projection, "The rebuild failed " + local.failures.get() + " times in a row at position "
                    + position + ": " + describe(local.lastFailure));
            return;
        }
        long head = head();
        Instant now = clock.instant();
        store.progress(status.rebuildId(), position, head, local.perSecond, now);
        RebuildStatus measured = new RebuildStatus(status.processor(), status.rebuildId(), status.phase(),
                                                   status.requestedBy(), status.startedAt(), now, null, position, head,
                                                   local.perSecond, null, null);
        if (segment.isCaughtUp() && !segment.isErrorState() && store.beginSwap(status.rebuildId(), node, now)) {
            observe(store.find(status.processor()).orElse(measured));
            swap(measured, projection, local);
        } else {
            observe(measured);
        }
    }

    /** Another node swaps: this one keeps its live processor still meanwhile, and takes over if that node is gone. */
    private void awaitSwap(RebuildStatus status, RebuildableProjection projection) {
        stopRebuild(projection);
        pauseLive(projection);
        observe(status);
        if (abandoned(status) && store.takeOverSwap(status, node, clock.instant())) {
            log.warn("The node swapping the rebuilt tables of {} in stopped answering; this node takes over",
                     status.processor());
            takeOverSwap(status, projection);
        }
    }

    private void ended(RebuildStatus status, RebuildableProjection projection) {
        stopRebuild(projection);
        resumeLive(projection);
        if (!concluded.add(status.rebuildId()) || status.finishedAt() == null
                || status.finishedAt().isBefore(startedAt)) {
            return; // told already, or over before this node started
        }
        if (status.phase() == RebuildPhase.DONE) {
            projection.swappedIn().run(); // this node's caches may have filled from the old tables until now
        }
        observe(status);
    }

    private void observe(RebuildStatus status) {
        try {
            listeners.publishEvent(new RebuildObserved(status));
        } catch (RuntimeException e) {
            log.warn("A listener of projection rebuilds failed: {}", e.toString());
        }
    }

    // ---- the swap ---------------------------------------------------------------------------------------------

    private void swap(RebuildStatus status, RebuildableProjection projection, LocalRebuild local) {
        String group = projection.processingGroup();
        List<Integer> claimedLive = new ArrayList<>();
        boolean swapped = false;
        try {
            pauseLive(projection);
            int[] segments = transactions.fetchInTransaction(() -> tokenStore.fetchSegments(group));
            long livePosition = 0;
            for (int segment : segments) {
                livePosition = Math.max(livePosition, position(claim(group, segment, status)));
                claimedLive.add(segment);
            }
            awaitRebuildPast(livePosition, local, group, claimedLive, status);
            local.processor.shutDown();
            rebuilding.remove(group);
            TrackingToken rebuilt = claim(projection.rebuildProcessorName(), 0, status);
            tables.swap(projection.tables());
            swapped = true;
            finishSwap(status, projection, rebuilt, segments);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            releaseQuietly(group, claimedLive); // before the live processor starts again and asks for them
            claimedLive.clear();
            if (swapped) {
                log.error("The rebuilt tables of {} are live, but finishing the swap failed: {}. The live processor "
                                  + "goes on from its own position and applies some events again, which the "
                                  + "projection writes idempotently", group, e.toString(), e);
                store.done(status.rebuildId(), status.done(), head(), null, clock.instant());
            } else {
                fail(status, projection, "Swapping the rebuilt tables in failed: " + describe(e));
            }
        } finally {
            releaseQuietly(group, claimedLive);
            resumeLive(projection);
        }
    }

    /** The live processor goes on from where the rebuild stopped, and the old tables go. */
    private void finishSwap(RebuildStatus status, RebuildableProjection projection, TrackingToken rebuildToken,
                            int[] liveSegments) {
        String group = projection.processingGroup();
        TrackingToken rebuilt = pastReplay(rebuildToken);
        transactions.executeInTransaction(() -> {
            if (liveSegments.length == 0) {
                tokenStore.initializeTokenSegments(group, 1, rebuilt);
            }
            for (int segment : liveSegments) {
                tokenStore.storeToken(rebuilt, group, segment);
            }
            deleteTokens(projection.rebuildProcessorName());
        });
        tables.dropRetired(projection.tables());
        projection.swappedIn().run();
        Instant now = clock.instant();
        long done = position(rebuilt);
        double seconds = Math.max(0.001, Duration.between(status.startedAt(), now).toNanos() / 1e9);
        store.done(status.rebuildId(), done, Math.max(done, head()), done / seconds, now);
        log.info("Projection {} rebuilt up to position {} in {} s and swapped in", group, done,
                 Math.round(seconds * 10) / 10.0);
    }

    /**
     * The swapping node stopped answering. If the tables were swapped already, only the token and the clean-up are
     * left; if not, the rebuild goes back to rebuilding on every node and is swapped once it has caught up again.
     */
    private void takeOverSwap(RebuildStatus status, RebuildableProjection projection) {
        boolean shadows = projection.tables().stream().allMatch(table -> tables.exists(
                RebuildableProjection.shadowOf(table)));
        boolean noShadow = projection.tables().stream().noneMatch(table -> tables.exists(
                RebuildableProjection.shadowOf(table)));
        if (shadows) {
            store.advance(status.rebuildId(), RebuildPhase.SWAPPING, RebuildPhase.REBUILDING, clock.instant());
            resumeLive(projection);
            return;
        }
        if (!noShadow) {
            fail(status, projection, "The swap of " + projection.tables() + " was interrupted half-way; rebuild again");
            return;
        }
        String group = projection.processingGroup();
        List<Integer> claimedLive = new ArrayList<>();
        try {
            int[] segments = transactions.fetchInTransaction(() -> tokenStore.fetchSegments(group));
            for (int segment : segments) {
                claim(group, segment, status);
                claimedLive.add(segment);
            }
            finishSwap(status, projection, claim(projection.rebuildProcessorName(), 0, status), segments);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            releaseQuietly(group, claimedLive);
            claimedLive.clear();
            log.error("Finishing the interrupted swap of {} failed: {}", group, e.toString(), e);
            store.done(status.rebuildId(), status.done(), head(), null, clock.instant());
        } finally {
            releaseQuietly(group, claimedLive);
            resumeLive(projection);
        }
    }

    /**
     * Waits until the rebuild has handled every event the live read model had, so that the swap never takes readers
     * back in time; meanwhile the live segments stay claimed by this node.
     */
    private void awaitRebuildPast(long livePosition, LocalRebuild local, String group, List<Integer> liveSegments,
                                  RebuildStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_WAIT.toNanos();
        long extended = System.nanoTime();
        while (true) {
            EventTrackerStatus segment = local.claimedSegment();
            if (segment == null) {
                throw new IllegalStateException("this node lost the rebuild's segment while swapping");
            }
            if (segment.getCurrentPosition().orElse(0) >= livePosition && !segment.isErrorState()) {
                return;
            }
            if (local.failures.get() >= MAX_FAILED_BATCHES) {
                throw new IllegalStateException("the rebuild failed while catching up: " + describe(local.lastFailure));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rebuild did not reach position " + livePosition + " within "
                                                        + CATCH_UP_WAIT.toSeconds() + " s");
            }
            if (System.nanoTime() - extended > CLAIM_EXTEND_NANOS) {
                transactions.executeInTransaction(() -> liveSegments.forEach(s -> tokenStore.extendClaim(group, s)));
                store.heartbeat(status.rebuildId(), clock.instant());
                extended = System.nanoTime();
            }
            Thread.sleep(20);
        }
    }

    /** Claims a segment for this node and returns its token, waiting while another node still holds it. */
    private TrackingToken claim(String processor, int segment, RebuildStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
        while (true) {
            try {
                return transactions.fetchInTransaction(() -> tokenStore.fetchToken(processor, segment));
            } catch (UnableToClaimTokenException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("segment " + segment + " of processor " + processor
                                                            + " stayed claimed by another node for "
                                                            + CLAIM_WAIT.toSeconds() + " s", e);
                }
                store.heartbeat(status.rebuildId(), clock.instant());
                Thread.sleep(100);
            }
        }
    }

    private void releaseQuietly(String processor, List<Integer> segments) {
        if (segments.isEmpty()) {
            return;
        }
        try {
            transactions.executeInTransaction(() -> segments.forEach(s -> tokenStore.releaseClaim(processor, s)));
        } catch (RuntimeException e) {
            log.warn("Releasing the claims of {} failed ({}); they time out", processor, e.toString());
        }
    }

    // ---- the local processors ---------------------------------------------------------------------------------

    private LocalRebuild startRebuild(RebuildStatus status, RebuildableProjection projection) {
        LocalRebuild local = new LocalRebuild(status.rebuildId(), projection);
        rebuilding.put(projection.processingGroup(), local);
        local.processor.start();
        return local;
    }

    private void stopRebuild(RebuildableProjection projection) {
        LocalRebuild local = rebuilding.remove(projection.processingGroup());
        if (local != null) {
            local.processor.shutDown();
        }
    }

    private void pauseLive(RebuildableProjection projection) {
        String group = projection.processingGroup();
        Optional<EventProcessor> live = processing.eventProcessor(group);
        if (live.isPresent() && live.get().isRunning() && pausedLive.add(group)) {
            live.get().shutDown();
        }
    }

    private void resumeLive(RebuildableProjection projection) {
        String group = projection.processingGroup();
        if (pausedLive.remove(group)) {
            processing.eventProcessor(group).ifPresent(EventProcessor::start);
        }
    }

    // ---- clean-up ---------------------------------------------------------------------------------------------

    /** Gives the rebuild up and removes what it made; the live read model was never touched. */
    private void fail(RebuildStatus status, RebuildableProjection projection, String reason) {
        if (store.failed(status.rebuildId(), reason, clock.instant())) {
            log.warn("The rebuild of projection {} failed: {}", status.processor(), reason);
            stopRebuild(projection);
            dropShadowsQuietly(projection);
            try {
                deleteTokens(projection.rebuildProcessorName());
            } catch (RuntimeException e) {
                log.warn("Deleting the tokens of {} failed: {}", projection.rebuildProcessorName(), e.toString());
            }
        }
        resumeLive(projection);
    }

    private void dropShadowsQuietly(RebuildableProjection projection) {
        try {
            tables.dropShadows(projection.tables());
        } catch (RuntimeException e) {
            log.warn("Dropping the shadow tables of {} failed: {}", projection.processingGroup(), e.toString());
        }
    }

    /**
     * Removes a rebuild processor's tokens outright rather than through the token store, which would first have to
     * claim them: a node that died while holding one must not delay the next rebuild by its claim's time-out.
     */
    private void deleteTokens(String processor) {
        jdbc.update("DELETE FROM " + ReadModelConfiguration.TOKEN_TABLE + " WHERE processor_name = ?", processor);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private boolean abandoned(RebuildStatus status) {
        return status.updatedAt().isBefore(clock.instant().minus(ABANDONED_AFTER));
    }

    private long head() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    /**
     * A processor that starts from the first event of a store that holds events replays them (Axon marks its token
     * as a replay up to the head it found). The rebuild has passed that head by the time it is swapped in: the live
     * processor gets the plain token, or it would call itself replaying until the next event.
     */
    private static TrackingToken pastReplay(TrackingToken token) {
        if (token instanceof ReplayToken replay && replay.getCurrentToken() != null
                && position(replay.getCurrentToken()) >= position(replay.getTokenAtReset())) {
            return replay.getCurrentToken();
        }
        return token;
    }

    private static long position(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(0);
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == failure ? failure.toString() : failure + " (cause: " + cause + ")";
    }

    /** The rebuild processor of one projection on this node, and what this node measured of it. */
    private final class LocalRebuild {

        final String rebuildId;
        final TrackingEventProcessor processor;
        final AtomicInteger failures = new AtomicInteger();
        volatile Throwable lastFailure;
        private long lastPosition = -1;
        private long lastNanos;
        Double perSecond;

        LocalRebuild(String rebuildId, RebuildableProjection projection) {
            this.rebuildId = rebuildId;
            Object handlers = projection.shadowHandlers().apply(RebuildableProjection::shadowOf);
            this.processor = TrackingEventProcessor.builder()
                    .name(projection.rebuildProcessorName())
                    .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                                                 .eventHandlers(handlers)
                                                 // a handler that fails fails the batch: a rebuild skips nothing
                                                 .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                                                 .build())
                    .errorHandler(this::failed)
                    .messageSource(eventStore)
                    .tokenStore(tokenStore)
                    .transactionManager(transactions)
                    .trackingEventProcessorConfiguration(
                            TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                               .andBatchSize(properties.rebuildBatchSize())
                                                               .andInitialSegmentsCount(1)
                                                               // it is shut down at the swap, while the live read
                                                               // model waits: not a second's wait for events
                                                               .andEventAvailabilityTimeout(100, TimeUnit.MILLISECONDS))
                    .build();
        }

        /** Runs on the processor's thread for every failed batch; Axon retries the batch after a back-off. */
        private void failed(ErrorContext context) throws Exception {
            lastFailure = context.error();
            failures.incrementAndGet();
            PropagatingErrorHandler.instance().handleError(context);
        }

        /** The rebuild's segment if this node holds it, else null. */
        EventTrackerStatus claimedSegment() {
            return processor.processingStatus().values().stream().findFirst().orElse(null);
        }

        /** The pace since the previous tick; a batch that went through ends a run of failures. */
        void measure(long position) {
            long now = System.nanoTime();
            if (lastPosition >= 0 && now > lastNanos) {
                perSecond = Math.max(0, position - lastPosition) / ((now - lastNanos) / 1e9);
            }
            if (position > lastPosition && lastPosition >= 0) {
                failures.set(0);
            }
            lastPosition = position;
            lastNanos = now;
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /** After the event processors have started (the default, last phase); stopped before they are. */
    @Override
    public void start() {
        startedAt = clock.instant();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "projection-rebuilds");
            thread.setDaemon(true);
            return thread;
        });
        long tick = properties.rebuildTick().toMillis();
        executor.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        coordinator = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = coordinator;
        coordinator = null;
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("The projection rebuild coordinator did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // this node's share of a running rebuild stops; another node, or this one after a restart, goes on with it
        rebuilding.values().forEach(local -> local.processor.shutDown());
        rebuilding.clear();
    }

    @Override
    public boolean isRunning() {
        return coordinator != null;
    }
}
