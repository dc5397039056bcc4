package org.conflictguard;

import java.util.Objects;

/**
 * A row and the claim that holds it: the holder, whether the holder marked the row alone or with
 * its subtree, and, for a row held because it lies in another row's claimed subtree, that row.
 *
 * <p>Immutable and thread-safe.
 *
 * @param row the held row
 * @param holder who holds it
 * @param scope {@link Scope#ROW} when the holder claimed the row alone; {@link Scope#SUBTREE}
 *     when the row is the root of, or lies in, a subtree the holder claimed
 * @param within the root of the claimed subtree the row lies in, or {@code null} when the holder
 *     marked the row itself
 */
public record RowClaim(Row row, Holder holder, Scope scope, Row within) {

    /** @throws NullPointerException if the row, holder or scope is null */
    public RowClaim {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(scope, "scope");
    }

    /** A row the holder claimed alone. */
    public RowClaim(Row row, Holder holder) {
        this(row, holder, Scope.ROW, null);
    }

    /**
     * Of two claims of one row (shared claims), the one that says more: a subtree mark before a
     * mark of the row alone (it also covers the rows below), then the one whose lease ends last;
     * the first on a tie.
     *
     * @throws NullPointerException if either is null
     */
    public static RowClaim wider(RowClaim a, RowClaim b) {
        if (a.scope() != b.scope()) {
            return a.scope() == Scope.SUBTREE ? a : b;
        }
        return b.holder().leaseUntil().isAfter(a.holder().leaseUntil()) ? b : a;
    }

    /**
     * For example {@code Entity 'Task' id 7, within Entity 'Project' id 42's subtree, is claimed by
     * operation '7f3c...' (label 'bulk-archive') since ..., lease until ...}.
     */
    @Override
    public String toString() {
        return "Entity '" + row.entity() + "' id " + row.id()
                + (within == null ? "" : ", within Entity '" + within.entity() + "' id " + within.id() + "'s subtree,")
                + (holder.waiting() ? " is awaited by " : " is claimed by ") + holder.describe();
    }
}
