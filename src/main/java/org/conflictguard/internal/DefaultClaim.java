package org.conflictguard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.conflictguard.ClaimMode;
import org.conflictguard.ClaimRequest;
import org.conflictguard.Mark;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimStore;

/**
 * A claim the store granted: its state (token, rows, lease, lost, released) and the transitions
 * between states. Its lease is renewed by the {@link LeaseKeeper}, which holds it only weakly, so a
 * dropped claim simply lapses. Thread-safe.
 */
final class DefaultClaim implements BoundClaim {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private final Object owner;
    private final ClaimStore store;
    private final Events events;
    private final String operationId;
    private final String label;
    private final long token;
    private final List<Row> rows;
    private final List<Mark> marks;
    private final Map<Row, Scope> scopes;
    private final Function<Row, Set<Row>> ancestors;
    private final Instant since;
    /** When (System.nanoTime) the claim was granted here. */
    private final long grantedNanos = System.nanoTime();
    private final ClaimMode mode;
    private volatile Duration lease;
    private volatile Instant leaseUntil;
    private volatile boolean lost;
    /** Until when (System.nanoTime) the lease is surely current: measured from before the store was asked. */
    private volatile long safeUntilNanos;
    private volatile ReleaseOutcome released;
    private volatile LeaseKeeper.Ticket renewal;

    /** @param ancestors the strict ancestors of a row, for rows inside this claim's subtrees */
    DefaultClaim(Object owner, ClaimStore store, Events events, ClaimRequest request, List<Mark> marks,
            ClaimOutcome granted, Duration lease, long askedNanos, Function<Row, Set<Row>> ancestors) {
        this.owner = owner;
        this.store = store;
        this.events = events;
        this.operationId = request.operationId();
        this.label = request.label();
        this.token = granted.token();
        this.marks = List.copyOf(marks);
        this.rows = this.marks.stream().map(Mark::row).toList();
        this.scopes = new HashMap<>();
        marks.forEach(m -> scopes.put(m.row(), m.scope()));
        this.ancestors = ancestors;
        this.since = granted.since();
        this.leaseUntil = granted.leaseUntil();
        this.lease = lease;
        this.mode = request.mode();
        this.safeUntilNanos = safeUntil(askedNanos);
    }

    /** Set once by the lease keeper; cancelled when the claim ends. */
    void renewedBy(LeaseKeeper.Ticket ticket) {
        this.renewal = ticket;
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
        return token;
    }

    @Override
    public List<Row> rows() {
        return rows;
    }

    @Override
    public List<Mark> marks() {
        return marks;
    }

    @Override
    public ClaimMode mode() {
        return mode;
    }

    /** How long since the claim was granted here. */
    long heldNanos() {
        return System.nanoTime() - grantedNanos;
    }

    @Override
    public Instant since() {
        return since;
    }

    @Override
    public Instant leaseUntil() {
        return leaseUntil;
    }

    Duration lease() {
        return lease;
    }

    @Override
    public boolean isHeld() {
        return released == null && !lost && store.holds(operationId, token);
    }

    @Override
    public boolean isLost() {
        return lost;
    }

    @Override
    public boolean renew() {
        if (released != null || lost) {
            return false;
        }
        return renewFor(lease).isPresent();
    }

    @Override
    public Optional<Instant> renew(Duration length) {
        Arguments.checkLength(length, "renew(Duration) lease");
        if (released != null || lost) {
            throw new IllegalStateException(this + " was " + (lost ? "lost" : "released") + "; it cannot be renewed"
                    + " (claim the rows again)");
        }
        Optional<Instant> renewed = renewFor(length);
        if (renewed.isPresent()) {
            lease = length;
            LeaseKeeper.Ticket ticket = renewal;
            if (ticket != null) {
                ticket.schedule(length);
            }
        }
        return renewed;
    }

    private Optional<Instant> renewFor(Duration length) {
        // Not synchronized: a slow store must not hold up isHeld() or the holder's writes.
        long asked = System.nanoTime();
        Optional<Instant> renewed = store.renew(operationId, token, length);
        if (renewed.isPresent()) {
            synchronized (this) {
                if (released == null) {
                    leaseUntil = renewed.get();
                    safeUntilNanos = safeUntil(asked, length);
                }
            }
            return renewed;
        }
        if (released != null) {
            return Optional.empty();
        }
        lost = true;
        end();
        events.lost(this);
        LOG.log(System.Logger.Level.WARNING, "Operation '" + operationId + "'" + (label == null ? "" : " (label '"
                + label + "')") + " lost its claim on " + rows.size() + " row(s): the lease lapsed before it was renewed");
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Instant> releaseKeeping(Duration keep) {
        Arguments.checkLength(keep, "releaseKeeping(Duration) keep");
        if (released != null || lost) {
            throw new IllegalStateException(this + " was " + (lost ? "lost" : "released") + "; there is nothing to"
                    + " keep");
        }
        end(); // no renewal may land after the keep
        Optional<Instant> kept = store.renew(operationId, token, keep);
        if (kept.isEmpty()) {
            lost = true;
            released = new ReleaseOutcome(0, rows.size());
            events.lost(this);
        } else {
            leaseUntil = kept.get();
            released = new ReleaseOutcome(0, 0);
        }
        events.released(this, null);
        return kept;
    }

    @Override
    public ReleaseOutcome release() {
        return releaseAfter(null);
    }

    @Override
    public synchronized ReleaseOutcome releaseAfter(Throwable failure) {
        if (released != null) {
            return released;
        }
        int removed = store.release(operationId, token);
        released = new ReleaseOutcome(removed, rows.size() - removed);
        end();
        if (removed < rows.size() && !lost) {
            lost = true;
            events.lost(this);
        }
        events.released(this, failure);
        return released;
    }

    @Override
    public void close() {
        ReleaseOutcome outcome = release();
        if (!outcome.isComplete()) {
            LOG.log(System.Logger.Level.WARNING, "Operation '" + operationId + "'" + (label == null ? "" : " (label '"
                    + label + "')") + " had lost " + outcome.lost() + " of its " + rows.size() + " row(s) before it"
                    + " released them: its lease lapsed or they were force-released, and others may have changed them");
        }
    }

    @Override
    public String toString() {
        return "Claim[operation '" + operationId + "'" + (label == null ? "" : ", label '" + label + "'") + ", "
                + marks.size() + " mark(s), token " + token + "]";
    }

    @Override
    public boolean covers(Row row) {
        return scopes.containsKey(row) || coversBelowAMark(row);
    }

    @Override
    public boolean coversSubtree(Row row) {
        return scopes.get(row) == Scope.SUBTREE || coversBelowAMark(row);
    }

    private boolean coversBelowAMark(Row row) {
        if (!scopes.containsValue(Scope.SUBTREE)) {
            return false;
        }
        for (Row ancestor : ancestors.apply(row)) {
            if (scopes.get(ancestor) == Scope.SUBTREE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the claim is surely still held, without asking the store: not released, not known
     * lost, and within its lease as measured from before the store granted or renewed it (less a
     * margin for clock rate drift), so a holder paused past its lease refuses its own writes.
     */
    @Override
    public boolean isSafelyHeld() {
        return released == null && !lost && System.nanoTime() - safeUntilNanos < 0;
    }

    /** Whether the claim is still open: neither released nor lost. */
    boolean isOpen() {
        return released == null && !lost;
    }

    private void end() {
        LeaseKeeper.Ticket ticket = renewal;
        if (ticket != null) {
            ticket.cancel();
        }
    }

    private long safeUntil(long askedNanos) {
        return safeUntil(askedNanos, lease);
    }

    private static long safeUntil(long askedNanos, Duration length) {
        long margin = Math.min(length.toNanos() / 50 + 20_000_000L, length.toNanos());
        return askedNanos + length.toNanos() - margin;
    }
}
