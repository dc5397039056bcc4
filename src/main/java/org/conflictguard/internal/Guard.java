package org.conflictguard.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.StoreStatus;
import org.conflictguard.SweepSummary;
import org.conflictguard.internal.config.Settings;
import org.conflictguard.internal.graph.DependencyGraph;
import org.conflictguard.internal.metrics.Meters;
import org.conflictguard.internal.metrics.MetersFactory;
import org.conflictguard.internal.write.ClaimView;
import org.conflictguard.internal.write.WriteChecks;
import org.conflictguard.internal.write.WriteEnforcer;
import org.conflictguard.spi.ClaimListener;
import org.conflictguard.spi.ClaimStore;

/** The guard over a store: each call checks its arguments and hands off to the part that does the job. */
final class Guard extends GuardBase {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private final ClaimStore store;
    private final String description;
    private final List<AutoCloseable> owned;
    private final LeaseKeeper leases;
    private final Claiming claiming;
    private final ClaimView view;
    private final AutoCloseable writeChecks;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Meters meters;
    private final java.time.Duration lease;
    /** The row a readiness probe asks about: nobody claims it. */
    private static final Row PROBE = Row.of("ConflictGuardProbe", "0");

    /**
     * @param owned what the guard created and closes last (the store, a client, a unit)
     * @param graph the dependency graph, or null for none (then writes are not checked)
     */
    /** @param meterRegistry a Micrometer {@code MeterRegistry} to report to, or null for none */
    Guard(ClaimStore store, String description, Settings settings, List<AutoCloseable> owned, DependencyGraph graph,
            List<ClaimListener> listeners, Object meterRegistry) {
        super(new ClaimRows(graph));
        this.meters = MetersFactory.create(meterRegistry, storeKind(store),
                store.namespace() != null ? store.namespace() : settings.namespace());
        store = meters.observe(store);
        this.store = store;
        this.description = description;
        this.lease = settings.lease();
        this.owned = List.copyOf(owned);
        this.leases = new LeaseKeeper(store, settings.sweepInterval());
        meters.claimsHeld(leases::size);
        Events events = new Events(listeners, meters);
        this.view = new ClaimView(store, graph == null ? 0 : settings.viewMaxMarks(), settings.viewPollInterval(),
                (local, why) -> events.writeChecks(local, why, description));
        this.claiming = new Claiming(this, store, settings.lease(), rows, leases, events, view::grantedHere);
        this.writeChecks = graph == null ? () -> { } : WriteChecks.register(
                new WriteEnforcer(rows.lineage(), store, view, BoundClaims.of(this), meters),
                graph.model().checkedClasses());
        view.start();
    }

    /** How meters tag the store: {@code redis}, {@code database}, or the class of a store of the application's. */
    private static String storeKind(ClaimStore store) {
        return switch (store.getClass().getName()) {
            case "org.conflictguard.store.redis.RedisClaimStore" -> "redis";
            case "org.conflictguard.store.jpa.JpaClaimStore" -> "database";
            default -> store.getClass().getSimpleName();
        };
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        checkOpen();
        return claiming.claim(request);
    }


    @Override
    public Map<Row, RowClaim> inspect(Collection<Row> rows) {
        return java.util.Collections.unmodifiableMap(this.rows.inspect(store, rows));
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        return store.claimsOf(Arguments.checkOperationId(operationId));
    }

    @Override
    public int forceRelease(String operationId) {
        int removed = store.forceRelease(Arguments.checkOperationId(operationId));
        if (removed > 0) {
            LOG.log(System.Logger.Level.WARNING, "Force-released " + removed + " row(s) of operation '" + operationId
                    + "'");
        }
        return removed;
    }

    @Override
    public List<org.conflictguard.LiveOperation> operations() {
        checkOpen();
        return store.liveOperations().orElseThrow(() -> new UnsupportedOperationException("The store "
                + store.description() + " cannot list its claims (ClaimStore.liveOperations() is not implemented)"));
    }

    @Override
    public SweepSummary sweep() {
        return leases.sweep();
    }




    @Override
    public String description() {
        return description;
    }

    @Override
    public StoreStatus checkStore() {
        try {
            long sent = System.nanoTime();
            store.marksOn(List.of(PROBE));
            java.time.Duration roundTrip = java.time.Duration.ofNanos(System.nanoTime() - sent);
            long claims = store.claimTokens().map(tokens -> (long) tokens.size()).orElse(-1L);
            return new StoreStatus(true, description, roundTrip, lease, claims, null);
        } catch (RuntimeException e) {
            // The kind of failure only: a message may carry data.
            return new StoreStatus(false, description, java.time.Duration.ZERO, lease, -1,
                    e.getClass().getSimpleName() + (e.getCause() == null ? "" : " (" + e.getCause().getClass()
                            .getSimpleName() + ")"));
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Bootstrap.closeAll(List.of(writeChecks, view, leases, meters));
        Bootstrap.closeAll(owned);
    }


    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This ConflictGuard is closed; build a new one");
        }
    }
}
