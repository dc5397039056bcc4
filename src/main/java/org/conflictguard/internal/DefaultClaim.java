package org.conflictguard.internal;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.conflictguard.Claim;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;

/** A granted claim; its renewal holds it only weakly, so a dropped claim simply lapses. */
final class DefaultClaim implements Claim {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private final DefaultConflictGuard guard;
    private final ClaimStore store;
    private final String operationId;
    private final String label;
    private final long token;
    private final List<Row> rows;
    private final Set<Row> rowSet;
    private final Instant since;
    private final Duration lease;
    private final Renewal renewal;
    private volatile Instant leaseUntil;
    private volatile boolean lost;
    /** Until when (System.nanoTime) the lease is surely current: measured from before the store was asked. */
    private volatile long safeUntilNanos;
    private volatile ReleaseOutcome released;

    /** @param store null for a claim that needs no store (no rows, or a disabled guard) */
    DefaultClaim(DefaultConflictGuard guard, ClaimStore store, ClaimRequest request, List<Row> rows, long token,
            Instant since, Instant leaseUntil, Duration lease, long askedNanos) {
        this.guard = guard;
        this.store = store;
        this.operationId = request.operationId();
        this.label = request.label();
        this.token = token;
        this.rows = List.copyOf(rows);
        this.rowSet = new HashSet<>(rows);
        this.since = since;
        this.leaseUntil = leaseUntil;
        this.lease = lease;
        this.renewal = new Renewal(guard, this);
        this.safeUntilNanos = safeUntil(askedNanos);
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
        return token;
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
        if (released != null || lost) {
            return false;
        }
        return store == null || store.holds(operationId, token);
    }

    @Override
    public boolean isLost() {
        return lost;
    }

    @Override
    public boolean renew() {
        // Not synchronized: a slow store must not hold up isHeld() or the holder's writes.
        if (released != null || lost) {
            return false;
        }
        if (store == null) {
            return true;
        }
        long asked = System.nanoTime();
        Optional<Instant> renewed = store.renew(operationId, token, lease);
        if (renewed.isPresent()) {
            synchronized (this) {
                if (released == null) {
                    leaseUntil = renewed.get();
                    safeUntilNanos = safeUntil(asked);
                }
            }
            return true;
        }
        if (released != null) {
            return false;
        }
        lost = true;
        renewal.cancel();
        guard.fire(new ClaimEvent(ClaimEvent.Kind.LOST, operationId, label, rows, List.of()));
        LOG.log(System.Logger.Level.WARNING, "Operation '" + operationId + "'" + (label == null ? "" : " (" + label + ")")
                + " lost its claim on " + rows.size() + " row(s): the lease lapsed before it was renewed");
        return false;
    }

    @Override
    public synchronized ReleaseOutcome release() {
        if (released != null) {
            return released;
        }
        if (store == null) {
            released = ReleaseOutcome.NOTHING;
        } else {
            int removed = store.release(operationId, token);
            released = new ReleaseOutcome(removed, rows.size() - removed);
            if (removed < rows.size() && !lost) {
                lost = true;
                guard.fire(new ClaimEvent(ClaimEvent.Kind.LOST, operationId, label, rows, List.of()));
            }
            guard.fire(new ClaimEvent(ClaimEvent.Kind.RELEASED, operationId, label, rows, List.of()));
        }
        renewal.cancel();
        return released;
    }

    @Override
    public void close() {
        ReleaseOutcome outcome = release();
        if (!outcome.isComplete()) {
            LOG.log(System.Logger.Level.WARNING, "Operation '" + operationId + "'" + (label == null ? "" : " (" + label
                    + ")") + " had lost " + outcome.lost() + " of its " + rows.size() + " row(s) before it released"
                    + " them: its lease lapsed or they were force-released, and others may have changed them");
        }
    }

    @Override
    public String toString() {
        return "Claim[operation " + operationId + (label == null ? "" : " '" + label + "'") + ", " + rows.size()
                + " row(s), token " + token + "]";
    }

    @Override
    public Binding bind() {
        OperationContext.push(this);
        return () -> OperationContext.pop(this);
    }

    Renewal renewal() {
        return renewal;
    }

    boolean covers(Row row) {
        return rowSet.contains(row);
    }

    /**
     * Whether the claim is surely still held, without asking the store: not released, not known
     * lost, and within its lease as measured from before the store granted or renewed it (less a
     * margin for clock rate drift), so a holder paused past its lease refuses its own writes.
     */
    boolean isSafelyHeld() {
        return released == null && !lost && (store == null || System.nanoTime() - safeUntilNanos < 0);
    }

    private long safeUntil(long askedNanos) {
        long margin = lease.toNanos() / 50 + 20_000_000L;
        return askedNanos + lease.toNanos() - margin;
    }

    /** Renews the lease on schedule while the claim is reachable and open. */
    static final class Renewal implements Runnable {
        private final DefaultConflictGuard guard;
        private final WeakReference<DefaultClaim> claim;
        private volatile ScheduledFuture<?> future;

        private Renewal(DefaultConflictGuard guard, DefaultClaim claim) {
            this.guard = guard;
            this.claim = new WeakReference<>(claim);
        }

        DefaultClaim claim() {
            return claim.get();
        }

        void schedule(ScheduledFuture<?> scheduled) {
            this.future = scheduled;
        }

        void cancel() {
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            guard.forget(this);
        }

        @Override
        public void run() {
            DefaultClaim target = claim.get();
            if (target == null) {
                cancel();
                return;
            }
            try {
                target.renew();
            } catch (RuntimeException e) {
                if (!guard.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "Could not renew the lease of operation '"
                            + target.operationId + "'; trying again at the next renewal", e);
                }
            }
        }
    }
}
