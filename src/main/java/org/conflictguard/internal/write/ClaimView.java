package org.conflictguard.internal.write;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimRecord;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.ClaimWatcher;

/**
 * One node's view of what is claimed in a namespace: the marks of every claim the store keeps,
 * so that a write check learns "nothing covers these rows" with no store round trip. The view
 * only ever lets a write pass on what it knows; whatever it finds covering a row (a live claim,
 * or a lapsed one not swept yet) is checked with the store. So it must be complete about grants,
 * never exact about leases.
 *
 * <p>How it stays complete:
 * <ul>
 *   <li>Where the store pushes ({@link ClaimStore#watch}: Redis, PostgreSQL), each grant is
 *       announced; from the announcement until the claim's marks are read, checks ask the store.
 *       Every {@value #HEARTBEAT_MILLIS} ms the view compares its claims with the store's tokens.
 *       While the store's feed is interrupted (a lost connection), and until everything was read
 *       again after it resumed, checks ask the store.
 *   <li>Where it cannot, a check first compares the view with the store's tokens when the last
 *       comparison is older than the poll interval.
 *   <li>Claims granted by this node are kept by its view directly, from the marks the node
 *       asked for, before the claim returns.
 * </ul>
 *
 * <p>Memory is bounded: at most {@code maxMarks} marks are kept; the entities of a claim that
 * would go over are checked with the store for as long as the claim is kept. Not API. Thread-safe.
 */
public final class ClaimView implements ClaimWatcher, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");
    /** How often a pushed view compares itself with the store, in case an end was missed. */
    static final long HEARTBEAT_MILLIS = 1000;

    /** What the view can say about the rows a write touches. */
    enum Answer {
        /** Nothing the view knows covers them: the write passes. */
        FREE,
        /** The view knows a mark that may cover them, or cannot say now: ask the store. */
        ASK_STORE
    }

    private final ClaimStore store;
    private final int maxMarks;
    private final long pollNanos;
    private final BiConsumer<Boolean, String> onTrust;
    private final ScheduledExecutorService worker;

    /** Written under {@link #lock}; read by checks without it. */
    private final Map<Row, Integer> marked = new ConcurrentHashMap<>();
    private final Map<Row, Integer> subtrees = new ConcurrentHashMap<>();
    private final Map<String, Integer> overflowing = new ConcurrentHashMap<>();
    /** Tokens announced whose marks are not read yet: while any is, checks ask the store. */
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private final Map<Long, ClaimRecord> claims = new HashMap<>();
    private int markCount;
    private boolean trusted;

    private final Object pollLock = new Object();
    private volatile long polledAt;
    private volatile boolean usable;
    private volatile boolean pushing;
    private volatile boolean feedLive;
    private volatile boolean loaded;
    /** Moves on every interruption, so that a reload begun before one does not count. */
    private volatile int interruptions;
    private volatile boolean active;
    private volatile boolean closed;
    private boolean everTrusted;
    private AutoCloseable subscription;

    /**
     * @param maxMarks the most marks kept (0: no view, every check asks the store)
     * @param poll how long a comparison answers checks, where the store cannot push
     * @param onTrust told (trusted, why) when checks switch between the view and the store
     */
    public ClaimView(ClaimStore store, int maxMarks, Duration poll, BiConsumer<Boolean, String> onTrust) {
        this.store = store;
        this.maxMarks = maxMarks;
        this.pollNanos = poll.toNanos();
        this.onTrust = onTrust;
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "conflictguard-view");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Subscribes to the store's grants, where it pushes, and loads what it keeps; a store that
     * cannot list its claims gets no view.
     */
    public void start() {
        if (maxMarks <= 0) {
            return;
        }
        try {
            if (store.claimTokens().isEmpty()) {
                return;
            }
        } catch (RuntimeException unreachable) {
            LOG.log(System.Logger.Level.DEBUG, "the store did not answer as the view starts", unreachable);
        }
        Optional<AutoCloseable> watching = store.watch(this);
        synchronized (lock) {
            subscription = watching.orElse(null);
        }
        pushing = watching.isPresent();
        active = true;
        if (pushing) {
            worker.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            usable = true;
            poll();
        }
    }

    /**
     * Whether the rows a write touches are surely free of marks, as far as this view knows.
     *
     * @param rows the written row first, then its ancestors (the row's own mark, or an ancestor's
     *     subtree mark, covers it)
     */
    Answer check(List<Row> rows) {
        if (!usable || !pending.isEmpty() || !pushing && !poll()) {
            return Answer.ASK_STORE;
        }
        if (!overflowing.isEmpty()) {
            for (Row row : rows) {
                if (overflowing.containsKey(row.entity())) {
                    return Answer.ASK_STORE;
                }
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (i == 0 ? marked.containsKey(rows.get(0)) : subtrees.containsKey(rows.get(i))) {
                return Answer.ASK_STORE;
            }
        }
        return Answer.FREE;
    }

    /** Where the store cannot push: compares with the store when the last comparison is too old. */
    private boolean poll() {
        if (loaded && System.nanoTime() - polledAt < pollNanos) {
            return true;
        }
        synchronized (pollLock) {
            if (loaded && System.nanoTime() - polledAt < pollNanos) {
                return true;
            }
            long started = System.nanoTime();
            try {
                reconcile();
                polledAt = started;
                loaded = true;
                trust(true, "the store answers");
                return true;
            } catch (RuntimeException e) {
                loaded = false;
                trust(false, "the store did not answer (" + e.getMessage() + ")");
                return false;
            }
        }
    }

    @Override
    public void granted(long token) {
        if (!active || closed) {
            return;
        }
        synchronized (lock) {
            if (claims.containsKey(token)) {
                return;
            }
        }
        pending.add(token);
        try {
            worker.execute(() -> load(token));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            pending.remove(token);
        }
    }

    /**
     * A claim this node was just granted, before it is returned: its marks are known here, so the
     * view keeps them at once, with no store call (its announcement, where the store pushes one,
     * then finds it known).
     */
    public void grantedHere(long token, List<Mark> marks) {
        if (!active || closed) {
            return;
        }
        synchronized (lock) {
            if (claims.containsKey(token)) {
                return;
            }
            ClaimRecord record = ClaimRecord.of(token, marks);
            add(markCount + marks.size() <= maxMarks ? record : ClaimRecord.tooLarge(token, record.entities()));
        }
    }

    @Override
    public void ended(long token) {
        if (!active || closed) {
            return;
        }
        try {
            worker.execute(() -> {
                synchronized (lock) {
                    forget(token);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile: nothing to keep current
        }
    }

    @Override
    public void interrupted(String why) {
        interruptions++;
        feedLive = false;
        loaded = false;
        usable = false;
        trust(false, why);
    }

    @Override
    public void resumed() {
        feedLive = true;
        try {
            worker.execute(() -> reload("the store's grants are delivered"));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private void heartbeat() {
        try {
            if (feedLive && !loaded) {
                reload("the store answers again");
            } else if (loaded) {
                reconcile();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the view's heartbeat failed", e);
        }
    }

    private void load(long token) {
        try {
            int budget;
            synchronized (lock) {
                if (claims.containsKey(token)) {
                    return;
                }
                budget = maxMarks - markCount;
            }
            List<ClaimRecord> records = store.claimRecords(List.of(token), Math.max(0, budget));
            synchronized (lock) {
                records.forEach(this::add);
            }
        } catch (RuntimeException e) {
            loaded = false;
            usable = !pushing;
            trust(false, "the marks of a new claim could not be read (" + e.getMessage() + ")");
        } finally {
            pending.remove(token);
        }
    }

    /** Reads everything again; the view is trusted after it unless the feed was interrupted meanwhile. */
    private void reload(String why) {
        int before = interruptions;
        // Checks ask the store while the view is emptied and read again; a failed read is tried
        // again by the heartbeat.
        usable = false;
        loaded = false;
        try {
            synchronized (lock) {
                claims.clear();
                marked.clear();
                subtrees.clear();
                overflowing.clear();
                markCount = 0;
            }
            reconcile();
            if (before == interruptions && feedLive && !closed) {
                loaded = true;
                usable = true;
                trust(true, why);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the view could not be loaded", e);
        }
    }

    /**
     * Reads the claims the store keeps that the view does not know, and forgets those it no longer
     * keeps. Only claims the view knew before it asked can be gone: one granted meanwhile (on this
     * node, or announced) is missing from the answer without having ended.
     */
    private void reconcile() {
        Set<Long> known;
        synchronized (lock) {
            known = new HashSet<>(claims.keySet());
        }
        Set<Long> kept = store.claimTokens().orElseThrow();
        TreeSet<Long> fresh = new TreeSet<>(kept);
        List<Long> gone = new ArrayList<>();
        int budget;
        synchronized (lock) {
            fresh.removeAll(claims.keySet());
            for (Long token : known) {
                if (!kept.contains(token)) {
                    gone.add(token);
                }
            }
            budget = maxMarks - markCount;
        }
        List<ClaimRecord> records = fresh.isEmpty() ? List.of() : store.claimRecords(fresh, Math.max(0, budget));
        synchronized (lock) {
            records.forEach(this::add);
            gone.forEach(this::forget);
        }
    }

    private void add(ClaimRecord claim) {
        forget(claim.token());
        claims.put(claim.token(), claim);
        if (!claim.complete()) {
            claim.entities().forEach(e -> overflowing.merge(e, 1, Integer::sum));
            return;
        }
        for (Mark mark : claim.marks()) {
            marked.merge(mark.row(), 1, Integer::sum);
            if (mark.scope() == Scope.SUBTREE) {
                subtrees.merge(mark.row(), 1, Integer::sum);
            }
        }
        markCount += claim.marks().size();
    }

    private void forget(long token) {
        ClaimRecord claim = claims.remove(token);
        if (claim == null) {
            return;
        }
        if (!claim.complete()) {
            claim.entities().forEach(e -> overflowing.computeIfPresent(e, (k, n) -> n > 1 ? n - 1 : null));
            return;
        }
        for (Mark mark : claim.marks()) {
            marked.computeIfPresent(mark.row(), (k, n) -> n > 1 ? n - 1 : null);
            if (mark.scope() == Scope.SUBTREE) {
                subtrees.computeIfPresent(mark.row(), (k, n) -> n > 1 ? n - 1 : null);
            }
        }
        markCount -= claim.marks().size();
    }

    /** Logs and tells a switch between local checks and checks with the store, once per switch. */
    private void trust(boolean now, String why) {
        boolean first;
        synchronized (lock) {
            if (trusted == now || closed) {
                return;
            }
            trusted = now;
            first = now && !everTrusted;
            everTrusted |= now;
        }
        if (now) {
            LOG.log(first ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "Write checks answer from this"
                    + " node's view of the claims" + (first ? "" : " again") + " (" + why + ")");
        } else {
            LOG.log(System.Logger.Level.WARNING, "Write checks ask the claim store until this node's view of the"
                    + " claims is current again (" + why + ")");
        }
        try {
            onTrust.accept(now, why);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A listener of write-check switches failed", e);
        }
    }

    /** How many marks the view keeps now. */
    int marks() {
        synchronized (lock) {
            return markCount;
        }
    }

    /** The tokens of the claims the view knows. */
    Set<Long> tokens() {
        synchronized (lock) {
            return Set.copyOf(claims.keySet());
        }
    }

    /** The entities checked with the store because a claim of them was too large to keep. */
    Map<String, Integer> overflowing() {
        return Map.copyOf(overflowing);
    }

    /** Whether checks are answered locally now (no announced claim unread). */
    public boolean isCurrent() {
        return usable && pending.isEmpty() && (pushing || loaded);
    }

    @Override
    public void close() {
        closed = true;
        usable = false;
        worker.shutdownNow();
        AutoCloseable watching;
        synchronized (lock) {
            watching = subscription;
            subscription = null;
        }
        if (watching != null) {
            try {
                watching.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the store's feed failed", e);
            }
        }
    }
}
