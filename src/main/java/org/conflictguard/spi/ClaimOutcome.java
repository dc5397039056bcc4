package org.conflictguard.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.conflictguard.RowClaim;

/**
 * What a store answered to a claim: granted with a fencing token and lease, or refused with
 * every conflicting row.
 *
 * <p>Immutable and thread-safe.
 *
 * @param token the fencing token when granted (positive, strictly increasing per store), else 0
 * @param since when the claim was made, by the store's clock; {@code null} when refused
 * @param leaseUntil the lease end, by the store's clock; {@code null} when refused
 * @param conflicts the conflicting rows with holders when refused, in row order; else empty
 */
public record ClaimOutcome(long token, Instant since, Instant leaseUntil, List<RowClaim> conflicts) {

    /** A granted claim. */
    public static ClaimOutcome granted(long token, Instant since, Instant leaseUntil) {
        if (token <= 0) {
            throw new IllegalArgumentException("token must be positive: " + token);
        }
        return new ClaimOutcome(token, Objects.requireNonNull(since), Objects.requireNonNull(leaseUntil), List.of());
    }

    /** A refused claim. */
    public static ClaimOutcome refused(List<RowClaim> conflicts) {
        if (conflicts.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one conflicting row");
        }
        return new ClaimOutcome(0, null, null, List.copyOf(conflicts));
    }

    /** Whether the claim was granted. */
    public boolean isGranted() {
        return token > 0;
    }
}
