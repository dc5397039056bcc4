package org.conflictguard.internal.write;

import org.conflictguard.Row;

/**
 * What one guard's claims bound to the current thread hold: the write check's answer for the
 * holding operation's own writes, with no store round trip. Not API. Implementations answer for
 * the calling thread and are thread-safe.
 */
public interface BoundHolders {

    /** A claim bound to the current thread. */
    interface Holding {
        /** Whether the claim is surely still held, without asking the store. */
        boolean isSafelyHeld();

        /** The holding operation. */
        String operationId();

        /** The operation's label, or {@code null}. */
        String label();
    }

    /** The innermost claim of this guard bound to the current thread that covers {@code row}, or null. */
    Holding holdingOf(Row row);

    /**
     * A claim of another guard bound to the current thread that covers {@code row} for
     * {@code operationId}, or null: two guards over the same claims (one namespace of one store)
     * each see the other's claims in the store, and a write of the holding operation is its own
     * whichever guard made the claim.
     */
    Holding boundElsewhere(Row row, String operationId);

    /** Whether a claim of this operation (of any guard) is bound to the current thread. */
    boolean isBound(String operationId);
}
