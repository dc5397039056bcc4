package org.conflictguard.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConfigKeys;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.SweepSummary;
import org.conflictguard.internal.graph.DependencyGraph;

/**
 * The guard when {@link ConfigKeys#ENABLED} is false: every claim is granted without a store and
 * holds nothing, nothing is ever claimed, no write is checked. Requests are still checked and
 * expanded, and claims still bind, so code behaves the same, unprotected. Thread-safe.
 */
final class DisabledGuard extends GuardBase {

    private final Duration lease;

    DisabledGuard(Duration lease, DependencyGraph graph) {
        super(new ClaimRows(graph));
        this.lease = lease;
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        Arguments.checkRequest(request);
        List<Row> wanted = rows.plan(request).rows();
        return ClaimResult.claimed(new FreeClaim(this, request, wanted, request.lease() != null ? request.lease()
                : lease));
    }


    @Override
    public Map<Row, RowClaim> inspect(Collection<Row> rows) {
        this.rows.canonical(rows);
        return Map.of();
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        Arguments.checkOperationId(operationId);
        return List.of();
    }

    @Override
    public List<org.conflictguard.LiveOperation> operations() {
        return List.of();
    }

    @Override
    public int forceRelease(String operationId) {
        Arguments.checkOperationId(operationId);
        return 0;
    }

    @Override
    public SweepSummary sweep() {
        return new SweepSummary(0, 0);
    }




    @Override
    public String description() {
        return "disabled";
    }

    @Override
    public org.conflictguard.StoreStatus checkStore() {
        return new org.conflictguard.StoreStatus(true, description(), java.time.Duration.ZERO, lease, 0, null);
    }

    @Override
    public void close() {
        // nothing to release or close
    }

}
