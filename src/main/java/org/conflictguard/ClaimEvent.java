package org.conflictguard;

import java.util.List;
import java.util.Objects;

/**
 * Something happened to a claim: fired as a CDI event (observe {@code ClaimEvent}) and given to
 * every {@link org.conflictguard.spi.ClaimListener}, so dashboards and UIs can react.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what happened
 * @param operationId the operation
 * @param label the operation's label, or {@code null}
 * @param rows the rows claimed or released (for {@link Kind#CONFLICT}, the rows asked for)
 * @param conflicts for {@link Kind#CONFLICT}, the conflicting rows and holders; else empty
 * @param failure for {@link Kind#RELEASED} after work run by {@link ConflictGuard#submit} or a
 *     {@link Guarded} method: what the work threw (or the exception its {@code CompletionStage}
 *     completed with); {@code null} when the work succeeded, and for every other event
 */
public record ClaimEvent(Kind kind, String operationId, String label, List<Row> rows, List<RowClaim> conflicts,
        Throwable failure) {

    /** What happened. */
    public enum Kind {
        /** The rows were claimed. */
        CLAIMED,
        /** The claim was released: see {@link ClaimEvent#failed()} for how guarded work ended. */
        RELEASED,
        /** A claim was refused because rows were held by others. */
        CONFLICT,
        /** The claim was lost: its lease lapsed before it was renewed, or it was force-released. */
        LOST
    }

    /** @throws NullPointerException if the kind, operation id, rows or conflicts are null */
    public ClaimEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operationId, "operationId");
        rows = List.copyOf(rows);
        conflicts = List.copyOf(conflicts);
    }

    /**
     * An event with no failure.
     *
     * @throws NullPointerException if the kind, operation id, rows or conflicts are null
     */
    public ClaimEvent(Kind kind, String operationId, String label, List<Row> rows, List<RowClaim> conflicts) {
        this(kind, operationId, label, rows, conflicts, null);
    }

    /** Whether this is the release of guarded work that failed (then {@link #failure()} says how). */
    public boolean failed() {
        return failure != null;
    }
}
