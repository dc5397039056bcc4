package org.conflictguard;

import java.util.Objects;

/**
 * The entity listener's checks of other writers switched between answering from this node's view
 * of the claims (no store round trip) and asking the claim store for every write, and why: fired
 * as a CDI event (observe {@code WriteChecksEvent}) and given to every
 * {@link org.conflictguard.spi.ClaimListener}. Checks ask the store whenever the view cannot be
 * trusted (its store's feed of grants was interrupted, a reconnection, a store that does not
 * answer), so a switch to {@link Mode#STORE} costs speed, never safety. Fired once per switch,
 * the first time when the view is first current.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode how writes are checked from now on
 * @param reason what caused the switch, for people
 * @param store the claim store, as {@link ConflictGuard#description()} names it
 */
public record WriteChecksEvent(Mode mode, String reason, String store) {

    /** How writes are checked. */
    public enum Mode {
        /** From this node's view of the claims: rows no claim covers pass with no store round trip. */
        LOCAL,
        /** With the claim store, for every write, until the view is current again. */
        STORE
    }

    /** @throws NullPointerException if an argument is null */
    public WriteChecksEvent {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(store, "store");
    }
}
