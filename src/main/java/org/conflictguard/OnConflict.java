package org.conflictguard;

/** What a guarded operation does when some of its rows are held by other operations. */
public enum OnConflict {
    /** Fail at once with every conflicting row and holder. */
    FAIL,
    /** Wait for the rows to be released, up to a timeout, then fail as {@link #FAIL} does. */
    WAIT
}
