package org.conflictguard.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.conflictguard.Claim;
import org.conflictguard.ClaimMode;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.internal.write.BoundHolders;

/** The claims bound to each thread ({@link Claim#bind()}), innermost last. Thread-safe: each thread sees its own. */
final class BoundClaims {

    private static final ThreadLocal<Deque<BoundClaim>> BOUND = ThreadLocal.withInitial(ArrayDeque::new);

    private BoundClaims() {
    }

    /** Binds the claim to this thread until the binding is closed (on this thread). */
    static Claim.Binding bind(BoundClaim claim) {
        BOUND.get().addLast(claim);
        return () -> {
            Deque<BoundClaim> bound = BOUND.get();
            bound.removeLastOccurrence(claim);
            forgetIfEmpty(bound);
        };
    }

    /**
     * The innermost exclusive claim of {@code owner} bound to this thread that covers the row, or
     * null: a shared claim never lets its holder write.
     */
    static BoundClaim holderOf(Object owner, Row row) {
        Deque<BoundClaim> bound = BOUND.get();
        for (Iterator<BoundClaim> it = bound.descendingIterator(); it.hasNext(); ) {
            BoundClaim claim = it.next();
            if (claim.owner() == owner && claim.mode() == ClaimMode.EXCLUSIVE && claim.covers(row)) {
                return claim;
            }
        }
        forgetIfEmpty(bound);
        return null;
    }

    /**
     * The innermost claim of {@code owner} bound to this thread that covers every mark in a mode
     * that includes {@code mode} (an exclusive claim covers shared requests too), or null.
     */
    static BoundClaim coveringAll(Object owner, Collection<Mark> marks, ClaimMode mode) {
        if (marks.isEmpty()) {
            return null;
        }
        Deque<BoundClaim> bound = BOUND.get();
        for (Iterator<BoundClaim> it = bound.descendingIterator(); it.hasNext(); ) {
            BoundClaim claim = it.next();
            if (claim.owner() == owner && (claim.mode() == ClaimMode.EXCLUSIVE || mode == ClaimMode.SHARED)
                    && marks.stream().allMatch(m -> m.scope() == Scope.SUBTREE ? claim.coversSubtree(m.row())
                            : claim.covers(m.row()))) {
                return claim;
            }
        }
        forgetIfEmpty(bound);
        return null;
    }

    /** This guard's view of the thread's bound claims, for the write checks. */
    static BoundHolders of(Object owner) {
        return new BoundHolders() {
            @Override
            public Holding holdingOf(Row row) {
                return holderOf(owner, row);
            }

            @Override
            public boolean isBound(String operationId) {
                for (BoundClaim claim : BOUND.get()) {
                    if (claim.mode() == ClaimMode.EXCLUSIVE && claim.operationId().equals(operationId)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public Holding boundElsewhere(Row row, String operationId) {
                for (BoundClaim claim : BOUND.get()) {
                    if (claim.owner() != owner && claim.mode() == ClaimMode.EXCLUSIVE
                            && claim.operationId().equals(operationId) && claim.covers(row)) {
                        return claim;
                    }
                }
                return null;
            }
        };
    }

    /** The innermost claim of {@code owner} bound to this thread, or null. */
    static BoundClaim current(Object owner) {
        Deque<BoundClaim> bound = BOUND.get();
        for (Iterator<BoundClaim> it = bound.descendingIterator(); it.hasNext(); ) {
            BoundClaim claim = it.next();
            if (claim.owner() == owner) {
                return claim;
            }
        }
        forgetIfEmpty(bound);
        return null;
    }

    /** Every claim bound to this thread now, outermost first. */
    static List<BoundClaim> snapshot() {
        Deque<BoundClaim> bound = BOUND.get();
        List<BoundClaim> copy = new ArrayList<>(bound);
        forgetIfEmpty(bound);
        return copy;
    }

    private static void forgetIfEmpty(Deque<BoundClaim> bound) {
        if (bound.isEmpty()) {
            BOUND.remove();
        }
    }
}
