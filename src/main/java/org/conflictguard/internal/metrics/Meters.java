package org.conflictguard.internal.metrics;

import java.util.function.IntSupplier;
import org.conflictguard.ClaimMode;
import org.conflictguard.spi.ClaimStore;

/**
 * What the guard reports about its claims, write checks and store calls. {@link #NONE} records
 * nothing. Implementations are thread-safe and never throw. Not API.
 */
public interface Meters extends AutoCloseable {

    /** Records nothing. */
    Meters NONE = new Meters() {
    };

    /** A claim was granted with this many rows and marks. */
    default void granted(String label, ClaimMode mode, int rows, int marks) {
    }

    /** A claim was refused. */
    default void refused(String label, ClaimMode mode) {
    }

    /** A claim waited this long for held rows, and was then granted or not. */
    default void waited(String label, long nanos, boolean granted) {
    }

    /** A claim was released after being held this long. */
    default void released(String label, long heldNanos) {
    }

    /** A claim was lost (its lease lapsed, or it was force-released). */
    default void lost(String label) {
    }

    /** A write to a checked entity was checked, and passed or was refused. */
    default void writeChecked(boolean refused) {
    }

    /** Write checks now answer from this node's view ({@code true}) or ask the store. */
    default void viewLocal(boolean local) {
    }

    /** Reports, as a gauge, how many claims this node holds. */
    default void claimsHeld(IntSupplier held) {
    }

    /** The store, with the latency of each call measured per command. */
    default ClaimStore observe(ClaimStore store) {
        return store;
    }

    /** Removes the gauges this guard registered. */
    @Override
    default void close() {
    }
}
