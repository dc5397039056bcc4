package org.conflictguard;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a claim: either the granted {@link Claim}, or every conflicting row with its
 * holder (and nothing claimed). Not getting the rows is a value, not an exception.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClaimResult {

    private final Claim claim;
    private final List<RowClaim> conflicts;

    private ClaimResult(Claim claim, List<RowClaim> conflicts) {
        this.claim = claim;
        this.conflicts = conflicts;
    }

    /** A granted result. */
    public static ClaimResult claimed(Claim claim) {
        return new ClaimResult(Objects.requireNonNull(claim, "claim"), List.of());
    }

    /**
     * A refused result.
     *
     * @throws IllegalArgumentException if {@code conflicts} is empty
     */
    public static ClaimResult conflict(List<RowClaim> conflicts) {
        if (conflicts.isEmpty()) {
            throw new IllegalArgumentException("a conflict needs at least one conflicting row");
        }
        return new ClaimResult(null, List.copyOf(conflicts));
    }

    /** Whether every row was claimed. */
    public boolean isClaimed() {
        return claim != null;
    }

    /**
     * The granted claim.
     *
     * @throws IllegalStateException if the claim was refused; the message lists the conflicts
     */
    public Claim claim() {
        if (claim == null) {
            throw new IllegalStateException(ClaimRefusedException.message(conflicts));
        }
        return claim;
    }

    /** The conflicting rows and their holders, in row order; empty when claimed. */
    public List<RowClaim> conflicts() {
        return conflicts;
    }

    /**
     * The granted claim.
     *
     * @throws ClaimRefusedException if the claim was refused, carrying every conflict
     */
    public Claim orElseThrow() {
        if (claim == null) {
            throw new ClaimRefusedException(conflicts);
        }
        return claim;
    }

    @Override
    public String toString() {
        return claim != null ? "ClaimResult[claimed " + claim.rows().size() + " row(s), token " + claim.token() + "]"
                : "ClaimResult[conflict on " + conflicts.size() + " row(s)]";
    }
}
