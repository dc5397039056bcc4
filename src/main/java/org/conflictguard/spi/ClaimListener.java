package org.conflictguard.spi;

import org.conflictguard.ClaimEvent;

/**
 * Told of every claim, release, conflict and loss. Called on the thread where it happened
 * (the renewal thread for losses); must be quick and must not throw (what it throws is logged
 * and ignored). Implementations must be thread-safe.
 */
public interface ClaimListener {

    /** @param event what happened */
    void on(ClaimEvent event);
}
