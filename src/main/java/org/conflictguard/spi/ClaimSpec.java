package org.conflictguard.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.conflictguard.ClaimMode;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;

/**
 * One claim as handed to a store: already validated, never empty. The store holds the
 * {@link #marks()} and puts an intention on every row of {@link #ancestors()}, so that a later
 * claim of a subtree above any of them sees this claim by looking at its own root.
 *
 * <p>A claim conflicts with a live claim of another operation, unless both are shared, when one of its marks is on a row
 * the other marked, when one of its {@link Scope#SUBTREE} marks is on a row the other has an
 * intention on (the other holds something below it), or when one of its ancestors carries the
 * other's {@link Scope#SUBTREE} mark (this claim lies inside the other's subtree).
 *
 * <p>Immutable and thread-safe.
 *
 * @param operationId the claiming operation
 * @param label the operation's label, or {@code null}
 * @param user the operation's user, or {@code null}
 * @param marks the marks, sorted by row, one per row, at least one
 * @param ancestors every strict ancestor of every marked row through {@code @DependsOn} (all
 *     parents, transitively), sorted and distinct; empty for rows outside a hierarchy
 * @param lease how long the claim lasts unless renewed, measured by the store's clock
 * @param mode how the claim holds its marks; two claims that meet conflict unless both are
 *     {@link ClaimMode#SHARED} (a shared claim's intentions are IS, an exclusive one's IX)
 */
public record ClaimSpec(String operationId, String label, String user, List<Mark> marks, List<Row> ancestors,
        Duration lease, ClaimMode mode) {

    /**
     * @throws IllegalArgumentException if there are no marks, or marks or ancestors are not
     *     sorted and distinct
     * @throws NullPointerException if the operation id, lease, mode, marks or ancestors are null
     */
    public ClaimSpec {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(mode, "mode");
        marks = List.copyOf(marks);
        ancestors = List.copyOf(ancestors);
        if (marks.isEmpty()) {
            throw new IllegalArgumentException("a claim spec needs at least one mark");
        }
        for (int i = 1; i < marks.size(); i++) {
            if (marks.get(i - 1).row().compareTo(marks.get(i).row()) >= 0) {
                throw new IllegalArgumentException("marks must be sorted by row, one per row: " + marks.get(i - 1)
                        + " before " + marks.get(i));
            }
        }
        for (int i = 1; i < ancestors.size(); i++) {
            if (ancestors.get(i - 1).compareTo(ancestors.get(i)) >= 0) {
                throw new IllegalArgumentException("ancestors must be sorted and distinct");
            }
        }
    }

    /** An exclusive claim. */
    public ClaimSpec(String operationId, String label, String user, List<Mark> marks, List<Row> ancestors,
            Duration lease) {
        this(operationId, label, user, marks, ancestors, lease, ClaimMode.EXCLUSIVE);
    }

    /** An exclusive claim of rows each alone, outside any hierarchy. */
    public ClaimSpec(String operationId, String label, String user, List<Row> rows, Duration lease) {
        this(operationId, label, user, rows.stream().map(r -> new Mark(r, Scope.ROW)).toList(), List.of(), lease);
    }

    /** Whether the claim is shared. */
    public boolean isShared() {
        return mode == ClaimMode.SHARED;
    }

    /** The marked rows, sorted. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>(marks.size());
        marks.forEach(m -> rows.add(m.row()));
        return rows;
    }

    /** Whether the claim takes part in a hierarchy: a subtree mark, or intentions on ancestors. */
    public boolean isHierarchical() {
        return !ancestors.isEmpty() || marks.stream().anyMatch(m -> m.scope() == Scope.SUBTREE);
    }
}
