package org.conflictguard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The handle of a granted claim. While it is open and reachable, ConflictGuard renews its
 * lease in the background, unless the request asked for a fixed lease
 * ({@link ClaimRequest.Builder#fixedLease(Duration)}); {@link #close()} (or {@link #release()})
 * ends it, {@link #releaseKeeping(Duration)} ends it but keeps the rows a while longer. Use it with
 * try-with-resources:
 *
 * <pre>{@code
 * try (Claim claim = guard.claim(request).orElseThrow()) {
 *     // the rows are ours until here
 * }
 * }</pre>
 *
 * <p>A claim belongs to its operation, not to a thread: it may be created on one thread and
 * released on another. Thread-safe.
 */
public interface Claim extends AutoCloseable {

    /** The operation that owns this claim. */
    String operationId();

    /** The operation's label, or {@code null}. */
    String label();

    /**
     * The fencing token: larger than every token the same store handed out before this claim
     * (strictly increasing per store); {@code 0} for a claim of no rows.
     */
    long token();

    /**
     * The marked rows, sorted: each claimed alone, or with its {@link DependsOn} subtree (see
     * {@link #marks()}). A claim of a project with all its milestones and tasks marks one row.
     */
    List<Row> rows();

    /** What the claim holds, sorted by row: each row alone, or with its subtree. */
    List<Mark> marks();

    /** How the claim holds its rows: exclusive, or shared with other shared claims. */
    ClaimMode mode();

    /** When the claim was made, by the store's clock. */
    Instant since();

    /** The lease end last granted by the store, by the store's clock. */
    Instant leaseUntil();

    /**
     * Asks the store whether this claim still holds its rows with its token and an unexpired
     * lease. One store round trip; {@code false} once released or lost.
     *
     * @throws StoreException if the store cannot be reached
     */
    boolean isHeld();

    /**
     * Whether this claim is known to be lost: a renewal found its lease lapsed, or a release
     * found rows taken by others. Answers from memory; use {@link #isHeld()} to ask the store.
     */
    boolean isLost();

    /**
     * Extends the lease now, to the store's now plus the claim's lease length (the request's, or
     * the last one given to {@link #renew(Duration)}).
     *
     * @return {@code true} if renewed; {@code false} if the claim was released or lost (a
     *     claim whose lease lapsed is lost even when nobody took its rows)
     * @throws StoreException if the store cannot be reached
     */
    boolean renew();

    /**
     * Extends (or shortens) the lease now, to the store's now plus {@code lease}, which becomes the
     * claim's lease length: later renewals, in the background or by {@link #renew()}, use it.
     *
     * @param lease 1 ms to 30 days
     * @return the new lease end by the store's clock; empty if the store found the claim no longer
     *     held (its lease lapsed, or it was force-released): the claim is then lost
     * @throws InvalidClaimException if {@code lease} is null or out of range; nothing changed
     * @throws IllegalStateException if the claim was released or is known to be lost
     * @throws StoreException if the store cannot be reached
     */
    Optional<Instant> renew(Duration lease);

    /**
     * Releases the claim: removes the rows this claim still holds and nothing of any other
     * operation's. Idempotent: later calls return the first call's outcome.
     *
     * @return how many rows were released and how many had been lost
     * @throws StoreException if the store cannot be reached; the release may then be retried
     */
    ReleaseOutcome release();

    /**
     * Ends the operation's hold on the rows but keeps them claimed until the store's now plus
     * {@code keep}: renewal stops, and the rows lapse by themselves then, even if this JVM dies
     * meanwhile ("hold at least"). Afterwards the handle is released: {@link #close()} does
     * nothing, and the claim cannot be renewed.
     *
     * @param keep 1 ms to 30 days
     * @return when the rows lapse, by the store's clock; empty if the store found the claim no
     *     longer held (it is then lost, and released)
     * @throws InvalidClaimException if {@code keep} is null or out of range; nothing changed
     * @throws IllegalStateException if the claim was released or is known to be lost
     * @throws StoreException if the store cannot be reached; the claim is then still open but no
     *     longer renewed: release it, or it lapses with its lease
     */
    Optional<Instant> releaseKeeping(Duration keep);

    /**
     * Binds this claim to the current thread until the returned binding is closed: while bound,
     * this operation's writes to its rows pass the entity listener without a store round trip,
     * and guarded work started on this thread over rows it holds runs under it. Bind it on
     * each thread that does the operation's work:
     *
     * <pre>{@code
     * executor.submit(() -> {
     *     try (Claim.Binding bound = claim.bind()) {
     *         // writes of this operation
     *     } finally {
     *         claim.release();
     *     }
     * });
     * }</pre>
     */
    Binding bind();

    /**
     * Same as {@link #release()}; a loss is logged at WARNING.
     *
     * @throws StoreException if the store cannot be reached
     */
    @Override
    void close();

    /** A claim bound to a thread by {@link #bind()}; closing it unbinds. Not thread-safe: close it on the thread that bound it. */
    interface Binding extends AutoCloseable {
        /** Unbinds the claim from this thread; it stays held. */
        @Override
        void close();
    }
}
