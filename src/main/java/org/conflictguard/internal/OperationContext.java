package org.conflictguard.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import org.conflictguard.Row;

/** The claims bound to the current thread, innermost last. Not API. */
final class OperationContext {

    private static final ThreadLocal<Deque<DefaultClaim>> BOUND = ThreadLocal.withInitial(ArrayDeque::new);

    private OperationContext() {
    }

    static void push(DefaultClaim claim) {
        BOUND.get().addLast(claim);
    }

    static void pop(DefaultClaim claim) {
        Deque<DefaultClaim> bound = BOUND.get();
        bound.removeLastOccurrence(claim);
        if (bound.isEmpty()) {
            BOUND.remove();
        }
    }

    /** The innermost bound claim that covers the row, or null. */
    static DefaultClaim holderOf(Row row) {
        Deque<DefaultClaim> bound = BOUND.get();
        for (var it = bound.descendingIterator(); it.hasNext(); ) {
            DefaultClaim claim = it.next();
            if (claim.covers(row)) {
                return claim;
            }
        }
        if (bound.isEmpty()) {
            BOUND.remove();
        }
        return null;
    }

    /** The claims bound now, outermost first. */
    static java.util.List<DefaultClaim> snapshot() {
        Deque<DefaultClaim> bound = BOUND.get();
        java.util.List<DefaultClaim> copy = java.util.List.copyOf(bound);
        if (bound.isEmpty()) {
            BOUND.remove();
        }
        return copy;
    }

    /** The innermost bound claim, or null. */
    static DefaultClaim current() {
        Deque<DefaultClaim> bound = BOUND.get();
        DefaultClaim claim = bound.peekLast();
        if (claim == null) {
            BOUND.remove();
        }
        return claim;
    }
}
