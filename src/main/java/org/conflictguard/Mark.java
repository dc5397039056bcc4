package org.conflictguard;

import java.util.Objects;

/**
 * One thing a claim holds: a row alone, or a row with its subtree.
 *
 * <p>Immutable and thread-safe.
 *
 * @param row the marked row
 * @param scope the row alone, or with its subtree
 */
public record Mark(Row row, Scope scope) implements Comparable<Mark> {

    /** @throws NullPointerException if either part is null */
    public Mark {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(scope, "scope");
    }

    /** Orders marks by their rows. */
    @Override
    public int compareTo(Mark other) {
        return row.compareTo(other.row);
    }

    @Override
    public String toString() {
        return scope == Scope.SUBTREE ? row + " with its subtree" : row.toString();
    }
}
