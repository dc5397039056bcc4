package org.conflictguard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.conflictguard.ClaimMode;
import org.conflictguard.Mark;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;

/** Guarded work over rows an outer claim bound to this thread already holds: runs under it, releases nothing. */
final class NestedClaim implements BoundClaim {

    private final BoundClaim outer;

    NestedClaim(BoundClaim outer) {
        this.outer = outer;
    }

    @Override
    public Object owner() {
        return outer.owner();
    }

    @Override
    public String operationId() {
        return outer.operationId();
    }

    @Override
    public String label() {
        return outer.label();
    }

    @Override
    public long token() {
        return outer.token();
    }

    @Override
    public List<Row> rows() {
        return outer.rows();
    }

    @Override
    public Instant since() {
        return outer.since();
    }

    @Override
    public Instant leaseUntil() {
        return outer.leaseUntil();
    }

    @Override
    public boolean isHeld() {
        return outer.isHeld();
    }

    @Override
    public boolean isLost() {
        return outer.isLost();
    }

    @Override
    public ClaimMode mode() {
        return outer.mode();
    }

    @Override
    public boolean renew() {
        return outer.renew();
    }

    /** Renews the claim this one runs under. */
    @Override
    public Optional<Instant> renew(Duration lease) {
        return outer.renew(lease);
    }

    /** Ends nothing: the claim this one runs under keeps its rows and its lease; answers its lease end. */
    @Override
    public Optional<Instant> releaseKeeping(Duration keep) {
        Arguments.checkLength(keep, "releaseKeeping(Duration) keep");
        return Optional.of(outer.leaseUntil());
    }

    @Override
    public ReleaseOutcome release() {
        return ReleaseOutcome.NOTHING;
    }

    @Override
    public ReleaseOutcome releaseAfter(Throwable failure) {
        return ReleaseOutcome.NOTHING;
    }

    @Override
    public boolean covers(Row row) {
        return outer.covers(row);
    }

    @Override
    public boolean coversSubtree(Row row) {
        return outer.coversSubtree(row);
    }

    @Override
    public List<Mark> marks() {
        return outer.marks();
    }

    @Override
    public boolean isSafelyHeld() {
        return outer.isSafelyHeld();
    }

    @Override
    public Binding bind() {
        return outer.bind();
    }

    @Override
    public void close() {
        // the outer claim releases
    }

    @Override
    public String toString() {
        return "Claim[nested in " + outer + "]";
    }
}
