package org.conflictguard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.conflictguard.ClaimMode;
import org.conflictguard.ClaimRequest;
import org.conflictguard.Mark;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.Scope;

/**
 * A claim that holds nothing in any store: a request of no rows, or any request to a disabled
 * guard. It is held until released and covers the rows it was asked for. Thread-safe.
 */
final class FreeClaim implements BoundClaim {

    private final Object owner;
    private final String operationId;
    private final String label;
    private final List<Row> rows;
    private final Instant since;
    private final ClaimMode mode;
    private volatile Instant leaseUntil;
    private volatile boolean released;

    FreeClaim(Object owner, ClaimRequest request, List<Row> rows, Duration lease) {
        this.mode = request.mode();
        this.owner = owner;
        this.operationId = request.operationId();
        this.label = request.label();
        this.rows = List.copyOf(rows);
        this.since = Instant.now();
        this.leaseUntil = since.plus(lease);
    }

    @Override
    public Object owner() {
        return owner;
    }

    @Override
    public String operationId() {
        return operationId;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public long token() {
        return 0;
    }

    @Override
    public List<Row> rows() {
        return rows;
    }

    @Override
    public Instant since() {
        return since;
    }

    @Override
    public Instant leaseUntil() {
        return leaseUntil;
    }

    @Override
    public boolean isHeld() {
        return !released;
    }

    @Override
    public boolean isLost() {
        return false;
    }

    @Override
    public ClaimMode mode() {
        return mode;
    }

    @Override
    public boolean renew() {
        return !released;
    }

    @Override
    public Optional<Instant> renew(Duration lease) {
        Arguments.checkLength(lease, "renew(Duration) lease");
        if (released) {
            throw new IllegalStateException(this + " was released; it cannot be renewed");
        }
        leaseUntil = Instant.now().plus(lease);
        return Optional.of(leaseUntil);
    }

    @Override
    public Optional<Instant> releaseKeeping(Duration keep) {
        Arguments.checkLength(keep, "releaseKeeping(Duration) keep");
        if (released) {
            throw new IllegalStateException(this + " was released; there is nothing to keep");
        }
        released = true;
        leaseUntil = Instant.now().plus(keep);
        return Optional.of(leaseUntil);
    }

    @Override
    public ReleaseOutcome release() {
        released = true;
        return ReleaseOutcome.NOTHING;
    }

    @Override
    public ReleaseOutcome releaseAfter(Throwable failure) {
        return release();
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public boolean covers(Row row) {
        return rows.contains(row);
    }

    @Override
    public boolean coversSubtree(Row row) {
        return false;
    }

    @Override
    public List<Mark> marks() {
        return rows.stream().map(r -> new Mark(r, Scope.ROW)).toList();
    }

    @Override
    public boolean isSafelyHeld() {
        return !released;
    }

    @Override
    public String toString() {
        return "Claim[operation '" + operationId + "', holding nothing in a store]";
    }
}
