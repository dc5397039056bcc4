package org.conflictguard.internal;

import java.time.Duration;
import java.util.List;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.Row;
import org.conflictguard.internal.write.BurstSnapshots;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;

/**
 * How a request becomes a claim: its rows are expanded, a request the thread's bound claim
 * already covers runs under that claim, an empty one needs no store, anything else is asked of
 * the store (waiting if the request says so), and a granted claim is handed to the lease keeper.
 * Thread-safe.
 */
final class Claiming {

    private final Object owner;
    private final ClaimStore store;
    private final Duration defaultLease;
    private final ClaimRows rows;
    private final ClaimWaiter waiter;
    private final LeaseKeeper leases;
    private final Events events;

    Claiming(Object owner, ClaimStore store, Duration defaultLease, ClaimRows rows, LeaseKeeper leases,
            Events events) {
        this.owner = owner;
        this.store = store;
        this.defaultLease = defaultLease;
        this.rows = rows;
        this.waiter = new ClaimWaiter(store);
        this.leases = leases;
        this.events = events;
    }

    ClaimResult claim(ClaimRequest request) {
        Arguments.checkRequest(request);
        Duration lease = request.lease() != null ? request.lease() : defaultLease;
        List<Row> wanted = rows.of(request);
        BoundClaim outer = BoundClaims.coveringAll(owner, wanted);
        if (outer != null) {
            return ClaimResult.claimed(new NestedClaim(outer));
        }
        if (wanted.isEmpty()) {
            return ClaimResult.claimed(new FreeClaim(owner, request, wanted, lease));
        }
        ClaimSpec spec = new ClaimSpec(request.operationId(), request.label(), request.user(), wanted, lease);
        ClaimWaiter.Attempt attempt = waiter.claim(spec, request.waitUpTo());
        if (!attempt.outcome().isGranted()) {
            events.refused(request.operationId(), request.label(), wanted, attempt.outcome().conflicts());
            return ClaimResult.conflict(attempt.outcome().conflicts());
        }
        BurstSnapshots.claimGranted();
        DefaultClaim claim = new DefaultClaim(owner, store, events, request, wanted, attempt.outcome(), lease,
                attempt.sentNanos());
        leases.keep(claim);
        events.claimed(claim);
        return ClaimResult.claimed(claim);
    }
}
