package org.conflictguard.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;

/**
 * A real store, observed: counts the write checks' round trips ({@code marksOn}, {@code holdersBelow}), and can hold renewals up
 * like a holder paused by a long GC or a stopped process. Every call goes to the real store.
 */
public final class ObservedStore implements ClaimStore {

    private final ClaimStore store;
    private final AtomicInteger inspections = new AtomicInteger();
    private volatile CountDownLatch resume = new CountDownLatch(0);

    public ObservedStore(ClaimStore store) {
        this.store = store;
    }

    /** Holds every renewal until {@link #resumeRenewals()}. */
    public void stallRenewals() {
        resume = new CountDownLatch(1);
    }

    /** Lets held renewals through. */
    public void resumeRenewals() {
        resume.countDown();
    }

    /** How many times the listener's lookups ({@code marksOn}, {@code holdersBelow}) reached the store. */
    public int inspections() {
        return inspections.get();
    }

    @Override
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        try {
            if (!resume.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("renewals were never resumed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return store.renew(operationId, token, lease);
    }

    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        return store.claim(spec);
    }

    @Override
    public ClaimOutcome claim(ClaimSpec spec, org.conflictguard.spi.QueuePlace place) {
        return store.claim(spec, place);
    }

    @Override
    public void leaveQueue(long ticket) {
        store.leaveQueue(ticket);
    }

    @Override
    public boolean queuesWaiters() {
        return store.queuesWaiters();
    }

    @Override
    public java.util.Optional<java.util.List<org.conflictguard.LiveOperation>> liveOperations() {
        return store.liveOperations();
    }

    @Override
    public boolean pushesReleases() {
        return store.pushesReleases();
    }

    @Override
    public boolean holds(String operationId, long token) {
        return store.holds(operationId, token);
    }

    @Override
    public int release(String operationId, long token) {
        return store.release(operationId, token);
    }

    @Override
    public Map<Row, RowClaim> marksOn(Collection<Row> rows) {
        inspections.incrementAndGet();
        return store.marksOn(rows);
    }

    /** Counted with {@link #inspections()}. */
    @Override
    public Map<Row, List<Holder>> holdersBelow(Collection<Row> rows) {
        inspections.incrementAndGet();
        return store.holdersBelow(rows);
    }

    @Override
    public long releases() {
        return store.releases();
    }

    @Override
    public void awaitRelease(long seen, java.time.Duration timeout) throws InterruptedException {
        store.awaitRelease(seen, timeout);
    }

    @Override
    public Optional<java.util.Set<Long>> claimTokens() {
        return store.claimTokens();
    }

    @Override
    public List<org.conflictguard.spi.ClaimRecord> claimRecords(java.util.Collection<Long> tokens, int maxMarks) {
        return store.claimRecords(tokens, maxMarks);
    }

    @Override
    public Optional<AutoCloseable> watch(org.conflictguard.spi.ClaimWatcher watcher) {
        return store.watch(watcher);
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        return store.claimsOf(operationId);
    }

    @Override
    public int forceRelease(String operationId) {
        return store.forceRelease(operationId);
    }

    @Override
    public SweepSummary sweep() {
        return store.sweep();
    }

    @Override
    public String description() {
        return "observed " + store.description();
    }
}
