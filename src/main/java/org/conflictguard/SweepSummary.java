package org.conflictguard;

/**
 * What a sweep of lapsed claims removed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param claims lapsed claims (one per claiming call) the sweep removed
 * @param rows rows those claims still held and the sweep freed
 */
public record SweepSummary(int claims, int rows) {

    /** @throws IllegalArgumentException if a count is negative */
    public SweepSummary {
        if (claims < 0 || rows < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + claims + ", " + rows);
        }
    }
}
