package org.conflictguard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.conflictguard.Claim;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ClaimedRowException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Holder;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimListener;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;

/** The guard: validates, calls the store, hands out claims and renews their leases. */
final class DefaultConflictGuard implements ConflictGuard {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private final ClaimStore store;
    private final Duration defaultLease;
    private final List<AutoCloseable> owned;
    private final String description;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<DefaultClaim.Renewal> renewals = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DependencyGraph graph;
    private final List<ClaimListener> listeners;

    DefaultConflictGuard(ClaimStore store, Settings settings, List<AutoCloseable> owned, String description,
            DependencyGraph graph, List<ClaimListener> listeners) {
        this.store = store;
        this.graph = graph;
        this.listeners = List.copyOf(listeners);
        this.defaultLease = settings.lease();
        this.owned = List.copyOf(owned);
        this.description = description;
        this.scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "conflictguard-leases");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        if (graph != null) {
            WriteChecks.register(this, graph.participants());
        }
        if (store != null) {
            settings.sweepInterval().ifPresent(every -> scheduler.scheduleWithFixedDelay(this::sweepQuietly,
                    every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        if (request == null) {
            throw new InvalidClaimException(null, null, "request is null; build one with ClaimRequest.builder()");
        }
        checkOpen();
        Duration lease = request.lease() != null ? request.lease() : defaultLease;
        List<Row> rows = request.includesDependents() ? expand(request.rows()) : request.rows();
        DefaultClaim outer = rows.isEmpty() ? null : OperationContext.holderOf(rows.get(0));
        if (outer != null && rows.stream().allMatch(outer::covers)) {
            return ClaimResult.claimed(new NestedClaim(outer));
        }
        if (rows.isEmpty() || store == null) {
            Instant now = Instant.now();
            return ClaimResult.claimed(new DefaultClaim(this, null, request, rows, 0, now, now.plus(lease), lease,
                    System.nanoTime()));
        }
        ClaimSpec spec = new ClaimSpec(request.operationId(), request.label(), request.user(), rows, lease);
        long deadline = System.nanoTime() + (request.waitUpTo() == null ? 0 : request.waitUpTo().toNanos());
        long sent = System.nanoTime();
        ClaimOutcome outcome = store.claim(spec);
        while (!outcome.isGranted() && deadline - System.nanoTime() > 0) {
            try {
                store.awaitRelease(Duration.ofNanos(deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sent = System.nanoTime();
            outcome = store.claim(spec);
        }
        if (!outcome.isGranted()) {
            fire(new ClaimEvent(ClaimEvent.Kind.CONFLICT, request.operationId(), request.label(), rows,
                    outcome.conflicts()));
            return ClaimResult.conflict(outcome.conflicts());
        }
        CLAIMS_GRANTED.incrementAndGet();
        DefaultClaim claim = new DefaultClaim(this, store, request, rows, outcome.token(), outcome.since(),
                outcome.leaseUntil(), lease, sent);
        DefaultClaim.Renewal renewal = claim.renewal();
        renewals.add(renewal);
        long every = Math.max(1, lease.toMillis() / 3);
        renewal.schedule(scheduler.scheduleWithFixedDelay(renewal, every, every, TimeUnit.MILLISECONDS));
        fire(new ClaimEvent(ClaimEvent.Kind.CLAIMED, claim.operationId(), claim.label(), rows, List.of()));
        return ClaimResult.claimed(claim);
    }

    @Override
    public Optional<Claim> current() {
        return Optional.ofNullable(OperationContext.current());
    }

    @Override
    public Executor propagating(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> {
            List<DefaultClaim> bound = OperationContext.snapshot();
            executor.execute(() -> {
                List<Claim.Binding> bindings = new ArrayList<>(bound.size());
                bound.forEach(claim -> bindings.add(claim.bind()));
                try {
                    task.run();
                } finally {
                    for (int i = bindings.size() - 1; i >= 0; i--) {
                        bindings.get(i).close();
                    }
                }
            });
        };
    }

    @Override
    public <T> CompletableFuture<T> submit(ClaimRequest request, Executor executor, Callable<T> work) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(work, "work");
        Claim claim = claim(request).orElseThrow();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                T value = null;
                Throwable failure = null;
                try (Claim.Binding bound = claim.bind()) {
                    value = work.call();
                } catch (Throwable t) {
                    failure = t;
                }
                try {
                    claim.close();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not release " + claim + "; it lapses with its lease", e);
                }
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        } catch (RuntimeException rejected) {
            claim.close();
            throw rejected;
        }
        return result;
    }

    void fire(ClaimEvent event) {
        for (ClaimListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Claim listener " + listener + " failed on " + event.kind(), e);
            }
        }
    }

    @Override
    public List<Row> expand(Collection<Row> rows) {
        checkRows(rows);
        if (graph == null) {
            return List.copyOf(new TreeSet<>(rows));
        }
        return List.copyOf(graph.expand(rows, queries -> { }));
    }

    /**
     * Refuses a write to a row another operation holds, or by an operation whose claim was lost.
     * The current thread's bound claims answer without a store round trip.
     */
    void checkWrite(Object entity, ClaimedRowException.Write write) {
        String entityName = graph.entityName(entity.getClass());
        List<Row> rows = write == ClaimedRowException.Write.PERSIST ? graph.parentsOf(entity)
                : List.of(graph.rowOf(entity));
        List<Row> unbound = new ArrayList<>(rows.size());
        for (Row row : rows) {
            DefaultClaim bound = OperationContext.holderOf(row);
            if (bound == null) {
                unbound.add(row);
            } else if (!bound.isSafelyHeld()) {
                throw ClaimedRowException.ownClaimLost(write, entityName, row, bound.operationId(), bound.label());
            }
        }
        if (unbound.isEmpty() || store == null) {
            return;
        }
        List<Row> suspects = BURSTS.get().suspects(store, unbound);
        if (suspects.isEmpty()) {
            return;
        }
        for (Map.Entry<Row, Holder> held : store.inspect(suspects).entrySet()) {
            throw ClaimedRowException.heldByOther(write, entityName, held.getKey(), held.getValue());
        }
    }

    /** How long a thread's snapshot of an entity type's claimed ids answers its write checks. */
    static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Snapshots of more claimed ids than this are not taken: such types are checked row by row. */
    static final int BURST_LIMIT = 5_000;
    /** Moves on every claim granted in this JVM, which makes every thread's snapshots stale at once. */
    private static final java.util.concurrent.atomic.AtomicLong CLAIMS_GRANTED = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Per thread, not per guard: a thread's state must not keep a closed guard (its store, its
     * client) reachable. Snapshots are keyed by store, so two guards never share one.
     */
    private static final ThreadLocal<Bursts> BURSTS = ThreadLocal.withInitial(Bursts::new);

    /**
     * One thread's write checks, per entity type. The first check of a type is a plain
     * {@code inspect} of the rows; a second one within {@link #BURST_NANOS} (a flush of many
     * entities) takes a snapshot of the type's claimed ids, which then answers the thread's
     * checks of that type for {@link #BURST_NANOS}: rows found in it are inspected, others pass.
     * A claim granted in this JVM voids every snapshot; claims granted elsewhere are seen at the
     * next snapshot, at most {@link #BURST_NANOS} later.
     */
    private static final class Bursts {
        private final Map<String, long[]> firstCheck = new java.util.HashMap<>();
        private final Map<String, Snapshot> snapshots = new java.util.HashMap<>();
        /** The store the maps are about (held weakly); another store starts them afresh. */
        private java.lang.ref.WeakReference<ClaimStore> about = new java.lang.ref.WeakReference<>(null);

        List<Row> suspects(ClaimStore store, List<Row> rows) {
            if (about.get() != store) {
                firstCheck.clear();
                snapshots.clear();
                about = new java.lang.ref.WeakReference<>(store);
            }
            List<Row> suspects = new ArrayList<>(rows.size());
            for (Row row : rows) {
                java.util.Set<String> claimed = claimedIds(store, row.entity());
                if (claimed == null || claimed.contains(row.id())) {
                    suspects.add(row);
                }
            }
            return suspects;
        }

        /** The type's claimed ids from a fresh snapshot, or null to inspect the row. */
        private java.util.Set<String> claimedIds(ClaimStore store, String entity) {
            long now = System.nanoTime();
            long granted = CLAIMS_GRANTED.get();
            Snapshot snapshot = snapshots.get(entity);
            if (snapshot != null && now - snapshot.taken < BURST_NANOS && snapshot.granted == granted) {
                return snapshot.ids;
            }
            long[] first = firstCheck.get(entity);
            if (first == null || now - first[0] >= BURST_NANOS || first[1] != granted) {
                firstCheck.put(entity, new long[] {now, granted});
                return null;
            }
            java.util.Set<String> ids = store.claimedIds(entity, BURST_LIMIT).orElse(null);
            snapshots.put(entity, new Snapshot(now, granted, ids));
            return ids;
        }
    }

    private record Snapshot(long taken, long granted, java.util.Set<String> ids) {
    }

    @Override
    public Map<Row, Holder> inspect(Collection<Row> rows) {
        checkRows(rows);
        return store == null ? Map.of() : store.inspect(rows);
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        checkOperationId(operationId);
        return store == null ? List.of() : store.claimsOf(operationId);
    }

    @Override
    public int forceRelease(String operationId) {
        checkOperationId(operationId);
        if (store == null) {
            return 0;
        }
        int removed = store.forceRelease(operationId);
        if (removed > 0) {
            LOG.log(System.Logger.Level.WARNING, "Force-released " + removed + " row(s) of operation '" + operationId
                    + "'");
        }
        return removed;
    }

    @Override
    public SweepSummary sweep() {
        return store == null ? new SweepSummary(0, 0) : store.sweep();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        WriteChecks.unregister(this);
        for (DefaultClaim.Renewal renewal : renewals) {
            DefaultClaim claim = renewal.claim();
            if (claim != null) {
                try {
                    claim.release();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not release operation '" + claim.operationId()
                            + "' on close; its claim lapses with its lease", e);
                }
            }
        }
        renewals.clear();
        closeAll(owned);
    }

    @Override
    public String toString() {
        return "ConflictGuard[" + description + "]";
    }

    boolean isClosed() {
        return closed.get();
    }

    void forget(DefaultClaim.Renewal renewal) {
        renewals.remove(renewal);
    }

    static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Could not close " + resource, e);
            }
        }
    }

    private void sweepQuietly() {
        try {
            SweepSummary summary = store.sweep();
            if (summary.claims() > 0) {
                LOG.log(System.Logger.Level.INFO, "Swept " + summary.claims() + " lapsed claim(s), freeing "
                        + summary.rows() + " row(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Sweep of lapsed claims failed; it runs again later", e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This ConflictGuard is closed; build a new one");
        }
    }

    private static void checkOperationId(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            throw new InvalidClaimException(null, null, "operationId is " + (operationId == null ? "null" : "blank")
                    + "; pass the id of the operation to look up");
        }
    }

    private static void checkRows(Collection<Row> rows) {
        if (rows == null) {
            throw new InvalidClaimException(null, null, "rows is null; pass an empty collection to inspect nothing");
        }
        for (Row row : rows) {
            if (row == null) {
                throw new InvalidClaimException(null, null, "rows contains null; every element must be a Row");
            }
        }
    }
}
