package org.conflictguard;

import java.util.Objects;

/**
 * A live claim as an operator sees it: who holds it (operation, label, user, mode, since, lease
 * end) and how many marks it has (rows alone and subtree roots; a tree claimed with its subtree
 * counts once).
 *
 * <p>Immutable and thread-safe.
 *
 * @param holder the claim's operation, label, user, mode, since and lease end
 * @param marks how many marks the claim holds
 */
public record LiveOperation(Holder holder, int marks) {

    /**
     * @throws NullPointerException if {@code holder} is null
     * @throws IllegalArgumentException if {@code marks} is negative
     */
    public LiveOperation {
        Objects.requireNonNull(holder, "holder");
        if (marks < 0) {
            throw new IllegalArgumentException("marks must not be negative: " + marks);
        }
    }
}
