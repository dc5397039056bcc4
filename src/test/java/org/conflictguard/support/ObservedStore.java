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
 * A real store, observed: counts the round trips of {@code inspect} and {@code claimedIds}, and can hold renewals up
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

    /** How many times {@code inspect} reached the store. */
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
    public boolean holds(String operationId, long token) {
        return store.holds(operationId, token);
    }

    @Override
    public int release(String operationId, long token) {
        return store.release(operationId, token);
    }

    @Override
    public Map<Row, Holder> inspect(Collection<Row> rows) {
        inspections.incrementAndGet();
        return store.inspect(rows);
    }

    /** Counted with {@link #inspections()}: both are the listener's store calls. */
    @Override
    public Optional<java.util.Set<String>> claimedIds(String entity, int limit) {
        inspections.incrementAndGet();
        return store.claimedIds(entity, limit);
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
