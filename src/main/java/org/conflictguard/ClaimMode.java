package org.conflictguard;

/**
 * How a claim holds its rows. Two claims that meet (on a row both mark, or a subtree one marks and
 * the other holds something below) conflict unless both are {@link #SHARED}: the compatibility
 * matrix of multi-granularity locking, where a shared claim's intentions on the ancestors of its
 * marks are IS and an exclusive claim's are IX.
 *
 * <table>
 * <caption>Which claims may hold overlapping rows at once</caption>
 * <tr><th></th><th>shared</th><th>exclusive</th></tr>
 * <tr><th>shared</th><td>yes</td><td>no</td></tr>
 * <tr><th>exclusive</th><td>no</td><td>no</td></tr>
 * </table>
 *
 * <p>Writes through the entity listener to a row under any live claim are refused to every other
 * operation; a row under a shared claim is refused to its holders too (they claimed it to read it
 * unchanged).
 */
public enum ClaimMode {
    /** The holder alone may work on the rows and write them (the default). */
    EXCLUSIVE,
    /** Other shared claims may hold the rows too; nobody may write them while any is held. */
    SHARED;

    /** Whether a claim in this mode and one in {@code other} may hold overlapping rows at once. */
    public boolean compatibleWith(ClaimMode other) {
        return this == SHARED && other == SHARED;
    }
}
