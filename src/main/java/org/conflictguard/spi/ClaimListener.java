package org.conflictguard.spi;

import org.conflictguard.ClaimEvent;
import org.conflictguard.WriteChecksEvent;

/**
 * Told of every claim, release, conflict and loss, and of switches of the write checks. Called on
 * the thread where it happened (the renewal thread for losses, a ConflictGuard thread for
 * switches); must be quick and must not throw (what it throws is logged and ignored).
 * Implementations must be thread-safe.
 */
public interface ClaimListener {

    /** @param event what happened */
    void on(ClaimEvent event);

    /**
     * Write checks switched between this node's view of the claims and the store. The default
     * does nothing.
     *
     * @param event the switch
     */
    default void on(WriteChecksEvent event) {
    }
}
