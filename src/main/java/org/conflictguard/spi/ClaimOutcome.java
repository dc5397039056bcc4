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
 * @param ticket when refused to a claim that asked for a place in the queue
 *     ({@link ClaimStore#claim(ClaimSpec, QueuePlace)}), the ticket of its place (positive; hand
 *     it back on the next try); else 0
 */
public record ClaimOutcome(long token, Instant since, Instant leaseUntil, List<RowClaim> conflicts, long ticket) {

    /** An outcome without a place in a queue. */
    public ClaimOutcome(long token, Instant since, Instant leaseUntil, List<RowClaim> conflicts) {
        this(token, since, leaseUntil, conflicts, 0);
    }

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

    /**
     * A refused claim that holds a place in the store's queue.
     *
     * @throws IllegalArgumentException if {@code conflicts} is empty or {@code ticket} not positive
     */
    public static ClaimOutcome queued(List<RowClaim> conflicts, long ticket) {
        if (ticket <= 0) {
            throw new IllegalArgumentException("ticket must be positive: " + ticket);
        }
        return new ClaimOutcome(0, null, null, refused(conflicts).conflicts(), ticket);
    }

    /** Whether the claim was granted. */
    public boolean isGranted() {
        return token > 0;
    }
}
