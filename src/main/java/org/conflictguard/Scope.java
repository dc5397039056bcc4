package org.conflictguard;

/**
 * What a claim covers at one row: the row alone, or the row with every row that depends on it
 * through {@link DependsOn}, transitively (its subtree). A subtree is stored as one mark on its
 * root, whatever its size.
 */
public enum Scope {
    /** The row alone. */
    ROW,
    /** The row and its {@link DependsOn} subtree. */
    SUBTREE
}
