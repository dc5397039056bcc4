package org.conflictguard;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ClaimResult#orElseThrow()} when rows were held by other operations. Carries
 * every conflicting row and its holder; nothing was claimed.
 *
 * <p>Immutable and thread-safe.
 */
public class ClaimRefusedException extends ConflictGuardException {

    private static final int LISTED_IN_MESSAGE = 5;

    private final List<RowClaim> conflicts;

    /** @param conflicts the conflicting rows and their holders; not empty */
    public ClaimRefusedException(List<RowClaim> conflicts) {
        super(message(conflicts));
        this.conflicts = List.copyOf(conflicts);
    }

    /** Every conflicting row with its holder, in row order. */
    public List<RowClaim> conflicts() {
        return conflicts;
    }

    static String message(List<RowClaim> conflicts) {
        String listed = conflicts.stream().limit(LISTED_IN_MESSAGE).map(RowClaim::toString)
                .collect(Collectors.joining("; "));
        int more = conflicts.size() - LISTED_IN_MESSAGE;
        return conflicts.size() + " row(s) are claimed by other operations: " + listed
                + (more > 0 ? "; and " + more + " more" : "")
                + ". Nothing was claimed; retry after they finish";
    }
}
