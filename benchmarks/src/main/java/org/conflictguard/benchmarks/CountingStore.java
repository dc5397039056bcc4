package org.conflictguard.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimRecord;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.ClaimWatcher;

/** A store that counts the calls reaching the real one (each is one round trip on Redis). */
final class CountingStore implements ClaimStore {

    final AtomicLong calls = new AtomicLong();
    private final ClaimStore store;

    CountingStore(ClaimStore store) {
        this.store = store;
    }

    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        calls.incrementAndGet();
        return store.claim(spec);
    }

    @Override
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        calls.incrementAndGet();
        return store.renew(operationId, token, lease);
    }

    @Override
    public boolean holds(String operationId, long token) {
        calls.incrementAndGet();
        return store.holds(operationId, token);
    }

    @Override
    public int release(String operationId, long token) {
        calls.incrementAndGet();
        return store.release(operationId, token);
    }

    @Override
    public Map<Row, RowClaim> marksOn(Collection<Row> rows) {
        calls.incrementAndGet();
        return store.marksOn(rows);
    }

    @Override
    public Map<Row, List<Holder>> holdersBelow(Collection<Row> rows) {
        calls.incrementAndGet();
        return store.holdersBelow(rows);
    }

    @Override
    public Optional<java.util.Set<Long>> claimTokens() {
        calls.incrementAndGet();
        return store.claimTokens();
    }

    @Override
    public List<ClaimRecord> claimRecords(Collection<Long> tokens, int maxMarks) {
        calls.incrementAndGet();
        return store.claimRecords(tokens, maxMarks);
    }

    @Override
    public Optional<AutoCloseable> watch(ClaimWatcher watcher) {
        return store.watch(watcher);
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        calls.incrementAndGet();
        return store.claimsOf(operationId);
    }

    @Override
    public int forceRelease(String operationId) {
        calls.incrementAndGet();
        return store.forceRelease(operationId);
    }

    @Override
    public SweepSummary sweep() {
        calls.incrementAndGet();
        return store.sweep();
    }

    @Override
    public long releases() {
        return store.releases();
    }

    @Override
    public void awaitRelease(long seen, Duration timeout) throws InterruptedException {
        store.awaitRelease(seen, timeout);
    }

    @Override
    public String description() {
        return store.description();
    }
}
