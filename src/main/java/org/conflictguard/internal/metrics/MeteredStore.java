package org.conflictguard.internal.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimRecord;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.ClaimWatcher;

/**
 * A store whose calls are timed per command ({@code conflictguard.store.calls}, tagged
 * {@code command} and {@code result} {@code ok} or {@code error}); every call goes to the store
 * as it is. Waiting for releases and watching are not store round trips and are not timed.
 * Thread-safe.
 */
final class MeteredStore implements ClaimStore {

    private final ClaimStore store;
    private final Command claim;
    private final Command renew;
    private final Command holds;
    private final Command release;
    private final Command marksOn;
    private final Command holdersBelow;
    private final Command claimsOf;
    private final Command forceRelease;
    private final Command sweep;
    private final Command claimTokens;
    private final Command claimRecords;

    MeteredStore(ClaimStore store, MeterRegistry registry, Tags common) {
        this.store = store;
        this.claim = new Command(registry, common, "claim");
        this.renew = new Command(registry, common, "renew");
        this.holds = new Command(registry, common, "holds");
        this.release = new Command(registry, common, "release");
        this.marksOn = new Command(registry, common, "marksOn");
        this.holdersBelow = new Command(registry, common, "holdersBelow");
        this.claimsOf = new Command(registry, common, "claimsOf");
        this.forceRelease = new Command(registry, common, "forceRelease");
        this.sweep = new Command(registry, common, "sweep");
        this.claimTokens = new Command(registry, common, "claimTokens");
        this.claimRecords = new Command(registry, common, "claimRecords");
    }

    /** The timers of one command. */
    private static final class Command {
        final Timer ok;
        final Timer error;

        Command(MeterRegistry registry, Tags common, String command) {
            ok = timer(registry, common, command, "ok");
            error = timer(registry, common, command, "error");
        }

        private static Timer timer(MeterRegistry registry, Tags common, String command, String result) {
            return Timer.builder("conflictguard.store.calls").description("Round trips to the claim store, by command")
                    .tags(common).tag("command", command).tag("result", result).register(registry);
        }

        <T> T time(Supplier<T> call) {
            long start = System.nanoTime();
            boolean done = false;
            try {
                T value = call.get();
                done = true;
                return value;
            } finally {
                (done ? ok : error).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        return claim.time(() -> store.claim(spec));
    }

    @Override
    public ClaimOutcome claim(ClaimSpec spec, org.conflictguard.spi.QueuePlace place) {
        return claim.time(() -> store.claim(spec, place));
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
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        return renew.time(() -> store.renew(operationId, token, lease));
    }

    @Override
    public boolean holds(String operationId, long token) {
        return holds.time(() -> store.holds(operationId, token));
    }

    @Override
    public int release(String operationId, long token) {
        return release.time(() -> store.release(operationId, token));
    }

    @Override
    public Map<Row, RowClaim> marksOn(Collection<Row> rows) {
        return marksOn.time(() -> store.marksOn(rows));
    }

    @Override
    public Map<Row, List<Holder>> holdersBelow(Collection<Row> rows) {
        return holdersBelow.time(() -> store.holdersBelow(rows));
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        return claimsOf.time(() -> store.claimsOf(operationId));
    }

    @Override
    public int forceRelease(String operationId) {
        return forceRelease.time(() -> store.forceRelease(operationId));
    }

    @Override
    public SweepSummary sweep() {
        return sweep.time(store::sweep);
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
    public Optional<Set<Long>> claimTokens() {
        return claimTokens.time(store::claimTokens);
    }

    @Override
    public List<ClaimRecord> claimRecords(Collection<Long> tokens, int maxMarks) {
        return claimRecords.time(() -> store.claimRecords(tokens, maxMarks));
    }

    @Override
    public Optional<AutoCloseable> watch(ClaimWatcher watcher) {
        return store.watch(watcher);
    }

    @Override
    public String description() {
        return store.description();
    }

    @Override
    public String namespace() {
        return store.namespace();
    }

    @Override
    public void close() {
        store.close();
    }
}
