package org.conflictguard.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conflictguard.Holder;
import org.conflictguard.OperationInUseException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.StoreException;
import org.conflictguard.SweepSummary;

/**
 * Where claims live. A claim is identified by its operation id and its fencing token
 * together; a call naming a token that does not belong to that operation changes nothing.
 *
 * <p>Every method is atomic in the store: no other caller ever sees a claim half made or half
 * released. Leases are measured by the store's clock. Every method throws
 * {@link StoreException} when the store cannot be reached or fails; the call then took effect
 * whole or not at all (see {@link StoreException}). {@link #close()} removes what the store
 * added to a shared client (subscriptions, listeners); the guard closes the stores it creates,
 * and the application those it builds itself. Implementations are thread-safe.
 */
public interface ClaimStore extends AutoCloseable {

    /**
     * Claims every row of {@code spec}, or none. A row held by another operation under a live
     * lease is a conflict; a row whose holder's lease lapsed is taken over.
     *
     * @return granted with a new token, or refused with every conflicting row
     * @throws OperationInUseException if the operation already holds a live claim; nothing changed
     */
    ClaimOutcome claim(ClaimSpec spec);

    /**
     * Extends a live claim's lease to the store's now plus {@code lease}.
     *
     * @return the new lease end; empty if the claim is not live (released, lapsed, or not this
     *     operation's), in which case nothing changed
     */
    Optional<Instant> renew(String operationId, long token, Duration lease);

    /** Whether the claim exists with a live lease. */
    boolean holds(String operationId, long token);

    /**
     * Removes the rows this claim still holds; rows another operation took after the lease
     * lapsed stay theirs. Returns 0 and changes nothing for a claim that is not this
     * operation's.
     *
     * @return rows removed
     */
    int release(String operationId, long token);

    /** The live holders of these rows; rows nobody holds are absent. */
    Map<Row, Holder> inspect(Collection<Row> rows);

    /**
     * A superset of the ids of {@code entity} that are claimed now, in one call: every id with a
     * live claim is in it, and ids of lapsed claims not swept yet may be. The entity listener
     * uses it to check a burst of writes to one entity type with one call instead of one per
     * row; ids it finds here are then checked with {@link #inspect}.
     *
     * <p>The default answers empty without calling anything, which keeps per-row checks.
     *
     * @param entity the entity name
     * @param limit the most ids worth returning
     * @return the ids, or empty when there are more than {@code limit} (or the store cannot say)
     */
    default java.util.Optional<java.util.Set<String>> claimedIds(String entity, int limit) {
        return java.util.Optional.empty();
    }

    /** The rows an operation holds under a live lease, in row order. */
    List<RowClaim> claimsOf(String operationId);

    /** Removes every claim of the operation, live or lapsed; returns rows removed. */
    int forceRelease(String operationId);

    /** Removes claims whose lease lapsed. */
    SweepSummary sweep();

    /**
     * A count that moves whenever a claim of this namespace may have been released, as far as
     * this store can tell; read before a claim that may wait, and handed to
     * {@link #awaitRelease(long, Duration)} after it was refused, so that a release between the
     * two is not missed. The default never moves (waits then poll).
     */
    default long releases() {
        return 0;
    }

    /**
     * Waits until {@link #releases()} differs from {@code seen} (some claim may have been released
     * since it was read), or {@code timeout} passed, whichever is first; used by claims that wait
     * for their rows. May return early. The default polls: it sleeps up to 250 ms.
     *
     * @param seen what {@link #releases()} answered before the refused claim
     * @param timeout the most to wait
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default void awaitRelease(long seen, Duration timeout) throws InterruptedException {
        long millis = Math.min(250, timeout.toMillis());
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    /** A short description for logs, e.g. {@code redis, namespace 'app'}. */
    String description();

    /**
     * Removes what this store added to clients it shares with the application (a subscription, a
     * listener) and stops using them; the claims it keeps stay. Idempotent. The default does
     * nothing.
     */
    @Override
    default void close() {
    }
}
