package org.conflictguard;

/**
 * What a release did.
 *
 * <p>Immutable and thread-safe.
 *
 * @param released rows this release removed from the store
 * @param lost rows the claim no longer held when it was released: its lease had lapsed and
 *     another operation claimed them, or an administrator force-released them. A release
 *     never removes another operation's claim.
 */
public record ReleaseOutcome(int released, int lost) {

    /** The outcome of releasing a claim of no rows. */
    public static final ReleaseOutcome NOTHING = new ReleaseOutcome(0, 0);

    /** @throws IllegalArgumentException if a count is negative */
    public ReleaseOutcome {
        if (released < 0 || lost < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + released + ", " + lost);
        }
    }

    /** Whether every row of the claim was still held by it when released. */
    public boolean isComplete() {
        return lost == 0;
    }
}
