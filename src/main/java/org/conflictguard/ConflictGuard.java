package org.conflictguard;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Claims sets of rows for operations, all or none, and answers who holds what.
 *
 * <pre>{@code
 * ConflictGuard guard = ConflictGuard.builder().entityManagerFactory(emf).build();
 * ClaimResult result = guard.claim(ClaimRequest.builder()
 *         .label("bulk-archive").row("Project", 42).row("Task", 7).build());
 * if (result.isClaimed()) {
 *     try (Claim claim = result.claim()) {
 *         // work on the rows
 *     }
 * } else {
 *     result.conflicts().forEach(c -> log.info(c.toString()));
 * }
 * }</pre>
 *
 * <p>Thread-safe; build one per application and close it on shutdown.
 */
public interface ConflictGuard extends AutoCloseable {

    /** A builder that reads {@link ConfigKeys} for anything not set on it. */
    static ConflictGuardBuilder builder() {
        return new ConflictGuardBuilder();
    }

    /**
     * Claims every row of the request and, unless the request says otherwise, every row that
     * depends on them, in one atomic step, or none of them. A request with no rows succeeds
     * without contacting the store. A request whose rows are all held by a claim bound to this
     * thread ({@link Claim#bind()}) runs under that claim: it gets a claim whose release does
     * nothing.
     *
     * @return the granted claim, or every conflicting row with its holder
     * @throws InvalidClaimException if the request is null or a row's id is not valid for its
     *     entity (an id of an entity of the {@link ConflictGuardBuilder#dependencies dependencies}
     *     unit is converted to the canonical form of its id type, or refused); the store is not touched
     * @throws OperationInUseException if the request's operation id already holds a live claim
     * @throws StoreException if the store cannot be reached or fails; the claim then took effect
     *     whole or not at all, and one granted without a handle lapses with its lease
     * @throws IllegalStateException if the guard is closed
     */
    ClaimResult claim(ClaimRequest request);

    /**
     * Claims the rows for a new operation with the default lease.
     *
     * @throws InvalidClaimException if {@code rows} is null or contains null
     * @throws StoreException if the store cannot be reached or fails (see {@link #claim(ClaimRequest)})
     * @see #claim(ClaimRequest)
     */
    default ClaimResult claim(Collection<Row> rows) {
        return claim(ClaimRequest.of(rows));
    }

    /**
     * The rows and every row that depends on them, transitively, as the dependency graph
     * declares them: what {@link #claim(ClaimRequest)} would claim. Without a graph, the rows
     * themselves.
     *
     * @throws InvalidClaimException if {@code rows} is null or contains null, or an id is not
     *     valid for its entity
     */
    List<Row> expand(Collection<Row> rows);

    /**
     * Which of these rows are claimed, by whom, since and until when: a row claimed itself (alone
     * or as the root of a subtree), or a row inside another row's claimed subtree, named as
     * {@link RowClaim#within()}. One store round trip per call (per 1,000 rows on a database);
     * with a dependency graph, finding the rows' ancestors may take queries of the application's
     * unit (one per edge per level, and cached).
     *
     * @return the claimed rows among {@code rows}, in row order, with their holders
     * @throws InvalidClaimException if {@code rows} is null or contains null, or an id is not
     *     valid for its entity
     * @throws StoreException if the store cannot be reached
     */
    Map<Row, RowClaim> inspect(Collection<Row> rows);

    /**
     * The marks an operation holds under a live lease, in row order, each with its
     * {@link RowClaim#scope()} (a row alone, or with its subtree); empty if none.
     *
     * @throws InvalidClaimException if {@code operationId} is null or blank
     * @throws StoreException if the store cannot be reached
     */
    List<RowClaim> claimsOf(String operationId);

    /**
     * Administration: removes every claim of an operation, whoever calls, whether or not its
     * lease is current. The operation finds out at its next renewal or release.
     *
     * @return the rows removed
     * @throws InvalidClaimException if {@code operationId} is null or blank
     * @throws StoreException if the store cannot be reached
     */
    int forceRelease(String operationId);

    /**
     * Administration: the live claims of this guard's namespace, each with its operation, label,
     * user, mode, since, lease end and number of marks, ordered by when they were made. Reads
     * every claim the store keeps in one call.
     *
     * @return the live claims; empty when there are none (and from a disabled guard)
     * @throws UnsupportedOperationException if the store cannot list its claims (a custom store
     *     that does not implement {@link org.conflictguard.spi.ClaimStore#liveOperations()})
     * @throws StoreException if the store cannot be reached
     */
    List<LiveOperation> operations();

    /**
     * Removes the claims whose lease has lapsed (they already block nobody) and frees their
     * rows. Also runs every {@link ConfigKeys#SWEEP_INTERVAL}.
     *
     * @throws StoreException if the store cannot be reached
     */
    SweepSummary sweep();

    /**
     * The innermost claim bound to the current thread ({@link Claim#bind()}; the
     * {@link Guarded} interceptor binds its claim while the method runs), if any.
     */
    java.util.Optional<Claim> current();

    /**
     * Wraps an executor (for example a {@code ManagedExecutorService}) so that a task submitted
     * from a thread with bound claims runs with the same claims bound on the worker thread: its
     * writes pass the entity listener as the operation's own. Releasing stays with the operation.
     */
    java.util.concurrent.Executor propagating(java.util.concurrent.Executor executor);

    /**
     * Claims the request's rows on this thread, then runs {@code work} on {@code executor} (for
     * example a {@code ManagedExecutorService}) with the claim bound, and releases the claim
     * when the work ends, before the returned future completes.
     *
     * @return the work's outcome, completed after the release
     * @throws ClaimRefusedException if rows are held by others; nothing was submitted
     * @throws java.util.concurrent.RejectedExecutionException if the executor refuses the work;
     *     the claim is then released
     * @throws StoreException if the store cannot be reached
     */
    <T> java.util.concurrent.CompletableFuture<T> submit(ClaimRequest request, java.util.concurrent.Executor executor,
            java.util.concurrent.Callable<T> work);

    /** The store in use and its settings, as logged at startup. */
    String description();

    /**
     * Asks the store one cheap question and how many claims it keeps, for a readiness check.
     * Never throws for an unreachable store: the status says so. A disabled guard reports itself
     * reachable with no claims.
     *
     * @return how the store answered
     */
    StoreStatus checkStore();

    /**
     * Stops renewing leases, releases the claims still open, and closes what the guard
     * created (Redis client, EntityManagerFactory). Idempotent.
     */
    @Override
    void close();
}
