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
import org.conflictguard.SweepSummary;
import org.conflictguard.internal.config.Settings;
import org.conflictguard.internal.graph.DependencyGraph;
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
    private final AutoCloseable writeChecks;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param owned what the guard created and closes last (the store, a client, a unit)
     * @param graph the dependency graph, or null for none (then writes are not checked)
     */
    Guard(ClaimStore store, String description, Settings settings, List<AutoCloseable> owned, DependencyGraph graph,
            List<ClaimListener> listeners) {
        super(new ClaimRows(graph));
        this.store = store;
        this.description = description;
        this.owned = List.copyOf(owned);
        this.leases = new LeaseKeeper(store, settings.sweepInterval());
        this.claiming = new Claiming(this, store, settings.lease(), rows, leases, new Events(listeners));
        this.writeChecks = graph == null ? () -> { } : WriteChecks.register(
                new WriteEnforcer(graph.model(), store, BoundClaims.of(this)), graph.model().checkedClasses());
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        checkOpen();
        return claiming.claim(request);
    }


    @Override
    public Map<Row, Holder> inspect(Collection<Row> rows) {
        return store.inspect(this.rows.canonical(rows));
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
    public SweepSummary sweep() {
        return leases.sweep();
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
        Bootstrap.closeAll(List.of(writeChecks, leases));
        Bootstrap.closeAll(owned);
    }


    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This ConflictGuard is closed; build a new one");
        }
    }
}
