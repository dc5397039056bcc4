package org.conflictguard.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.Mark;
import org.conflictguard.RowClaim;
import org.conflictguard.internal.graph.ClaimPlanner;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;

/**
 * How a request becomes a claim: its rows are expanded, a request the thread's bound claim
 * already covers runs under that claim, an empty one needs no store, anything else is asked of
 * the store (waiting if the request says so), and a granted claim is handed to the lease keeper.
 * Thread-safe.
 */
final class Claiming {

    /** How often a refused claim is tried again when its conflicts were gone by the time they were named. */
    private static final int REFUSALS_TO_NAME = 3;

    private final Object owner;
    private final ClaimStore store;
    private final Duration defaultLease;
    private final ClaimRows rows;
    private final ClaimWaiter waiter;
    private final LeaseKeeper leases;
    private final Events events;
    private final BiConsumer<Long, List<Mark>> granted;

    /** @param granted told the token and marks of every claim granted, before it is returned */
    Claiming(Object owner, ClaimStore store, Duration defaultLease, ClaimRows rows, LeaseKeeper leases,
            Events events, BiConsumer<Long, List<Mark>> granted) {
        this.owner = owner;
        this.store = store;
        this.defaultLease = defaultLease;
        this.rows = rows;
        this.waiter = new ClaimWaiter(store);
        this.leases = leases;
        this.events = events;
        this.granted = granted;
    }

    ClaimResult claim(ClaimRequest request) {
        Arguments.checkRequest(request);
        Duration lease = request.lease() != null ? request.lease() : defaultLease;
        ClaimPlanner.Plan plan = rows.plan(request);
        BoundClaim outer = BoundClaims.coveringAll(owner, plan.marks(), request.mode());
        if (outer != null) {
            return ClaimResult.claimed(new NestedClaim(outer));
        }
        if (plan.marks().isEmpty()) {
            return ClaimResult.claimed(new FreeClaim(owner, request, List.of(), lease));
        }
        ClaimSpec spec = new ClaimSpec(request.operationId(), request.label(), request.user(), plan.marks(),
                plan.ancestors(), lease, request.mode());
        for (int attempt = 1; ; attempt++) {
            ClaimWaiter.Attempt tried = waiter.claim(spec, request.waitUpTo());
            if (tried.waitedNanos() > 0) {
                events.waited(request.label(), tried.waitedNanos(), tried.outcome().isGranted());
            }
            if (tried.outcome().isGranted()) {
                granted.accept(tried.outcome().token(), plan.marks());
                DefaultClaim claim = new DefaultClaim(owner, store, events, request, plan.marks(), tried.outcome(),
                        lease, tried.sentNanos(), rows::ancestorsOf);
                leases.keep(claim, request.isLeaseRenewed());
                events.claimed(claim);
                return ClaimResult.claimed(claim);
            }
            List<RowClaim> conflicts = rows.conflicts(store, request, plan, tried.outcome().conflicts());
            if (conflicts.isEmpty() && attempt < REFUSALS_TO_NAME) {
                continue; // released while the held rows were being named: try again
            }
            if (conflicts.isEmpty()) {
                conflicts = tried.outcome().conflicts();
            }
            events.refused(request.operationId(), request.label(), request.mode(), plan.rows(), conflicts);
            return ClaimResult.conflict(conflicts);
        }
    }
}
