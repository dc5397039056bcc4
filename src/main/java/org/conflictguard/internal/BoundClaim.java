package org.conflictguard.internal;

import org.conflictguard.Claim;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.internal.write.BoundHolders;

/** A claim handle the guard made: it can be bound to threads and released with the outcome of its work. */
interface BoundClaim extends Claim, BoundHolders.Holding {

    /** The guard that made the claim: bound claims answer only that guard's questions. */
    Object owner();

    /** Whether the claim covers the row: marks it, or marks an ancestor with its subtree. */
    boolean covers(Row row);

    /** Whether the claim covers the row's whole subtree: marks it, or an ancestor, with its subtree. */
    boolean coversSubtree(Row row);

    /**
     * Releases the claim after its work ended; {@code failure} (what the work threw, or null when
     * it succeeded) is told with the release.
     */
    ReleaseOutcome releaseAfter(Throwable failure);

    @Override
    default Binding bind() {
        return BoundClaims.bind(this);
    }
}
