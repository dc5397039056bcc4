package org.conflictguard.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.conflictguard.Holder;
import org.conflictguard.OperationInUseException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
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
     * Claims every mark of {@code spec} and puts its intentions, or does nothing: see
     * {@link ClaimSpec} for what conflicts. A mark or intention of another operation whose lease
     * lapsed is no conflict (a lapsed mark on a row this claim marks is taken over).
     *
     * @return granted with a new token, or refused with what blocked it: for each conflicting
     *     live claim (each holder with its mode), the row where it was met (a row both marked, a subtree root of this claim
     *     the other holds something below, or an ancestor the other claimed with its subtree), with
     *     the holder and the scope of the holder's mark there ({@link Scope#SUBTREE} for something
     *     below). For a claim of rows each alone, outside any hierarchy, these are exactly the held rows.
     * @throws OperationInUseException if the operation already holds a live claim; nothing changed
     */
    ClaimOutcome claim(ClaimSpec spec);

    /**
     * Claims as {@link #claim(ClaimSpec)} does, for a claim that waits in the store's queue: when
     * refused, the claim keeps (or takes, with ticket 0) a place in the queue, and the outcome
     * carries its ticket. Every claim of the store, waiting or not, is refused while a live place of
     * an earlier ticket is on rows it conflicts with (by the same rules as marks, modes included:
     * places of shared claims do not hold back shared claims); the place shows in the conflicts as
     * a {@link org.conflictguard.Holder#waiting() waiting} holder. A granted claim leaves the queue
     * in the same step. A store that keeps no queue ({@link #queuesWaiters()} false) claims as
     * {@link #claim(ClaimSpec)} does, which is the default.
     *
     * @return as {@link #claim(ClaimSpec)}; when refused, with the place's ticket
     * @throws OperationInUseException if the operation already holds a live claim; nothing changed
     */
    default ClaimOutcome claim(ClaimSpec spec, QueuePlace place) {
        return claim(spec);
    }

    /**
     * Gives up a place in the queue (the claim stopped waiting), so that claims behind it may go
     * on. Unknown or lapsed tickets are ignored. The default does nothing.
     *
     * @throws StoreException if the store cannot be reached (the place then lapses by itself)
     */
    default void leaveQueue(long ticket) {
    }

    /** Whether this store keeps a queue of waiting claims. The default keeps none. */
    default boolean queuesWaiters() {
        return false;
    }

    /**
     * Sets a live claim's lease end to the store's now plus {@code lease}, later or earlier than it
     * was: renewals, renewals with a new length, and releases that keep the rows for a while
     * ({@link org.conflictguard.Claim#releaseKeeping}) all come here. Leases as short as 1 ms are
     * honoured.
     *
     * @return the new lease end; empty if the claim is not live (released, lapsed, or not this
     *     operation's), in which case nothing changed
     */
    Optional<Instant> renew(String operationId, long token, Duration lease);

    /** Whether the claim exists with a live lease. */
    boolean holds(String operationId, long token);

    /**
     * Removes the marks this claim still holds and its intentions; marks another operation took
     * after the lease lapsed stay theirs. Returns 0 and changes nothing for a claim that is not
     * this operation's.
     *
     * @return marks removed
     */
    int release(String operationId, long token);

    /**
     * The live marks on these rows: for each row some live claim marked (alone or with its
     * subtree), that claim's holder and the mark's scope ({@code within} is null); for a row several
     * shared claims marked, a subtree mark before a row mark, then the one whose lease ends last
     * ({@link RowClaim#wider}). A row that only lies inside another row's claimed subtree is absent:
     * ask about its ancestors as well.
     */
    Map<Row, RowClaim> marksOn(Collection<Row> rows);

    /**
     * For each of these rows, the live claims of operations that hold something strictly below
     * it (they put an intention on it); rows with none are absent.
     */
    Map<Row, List<Holder>> holdersBelow(Collection<Row> rows);

    /** The marks an operation holds under a live lease, in row order, each with its scope. */
    List<RowClaim> claimsOf(String operationId);

    /** Removes every claim of the operation, live or lapsed, with its intentions; returns marks removed. */
    int forceRelease(String operationId);

    /** Removes claims whose lease lapsed. */
    SweepSummary sweep();

    /**
     * The live claims of this namespace, each with its holder and number of marks, ordered by
     * when they were made; for administration (one call, reading every claim the store keeps). The
     * default answers empty: the store cannot list its claims.
     *
     * @throws StoreException if the store cannot be reached
     */
    default Optional<List<org.conflictguard.LiveOperation>> liveOperations() {
        return Optional.empty();
    }

    /**
     * A count that moves whenever a claim of this namespace may have been released or a place
     * may have left its queue, as far as this store can tell; read before a claim that may wait, and handed to
     * {@link #awaitRelease(long, Duration)} after it was refused, so that a release between the
     * two is not missed. The default never moves (waits then poll).
     */
    default long releases() {
        return 0;
    }

    /**
     * Whether {@link #releases()} moves as claims are released and places leave the queue, pushed
     * by the store (so a waiting claim need not try again until it moves); false when waiting
     * claims must poll. The default: false.
     */
    default boolean pushesReleases() {
        return false;
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

    /**
     * The tokens of every claim the store keeps in this namespace now: live ones, and lapsed
     * ones not removed yet. A node's write-check view compares them with the claims it knows,
     * reads the new ones with {@link #claimRecords} and forgets the others. Costs about one step per
     * claim kept, not per row. The default answers empty without calling anything: the store
     * cannot say, and every write check asks {@link #marksOn}.
     *
     * @throws StoreException if the store cannot be reached
     */
    default Optional<Set<Long>> claimTokens() {
        return Optional.empty();
    }

    /**
     * The marks of the claims with these tokens, for a node's write-check view. Claims the store
     * no longer keeps are absent. Marks are listed, claim after claim in the order asked, while
     * there are at most {@code maxMarks} in all; a claim that would go over comes without its marks
     * ({@link ClaimRecord#complete()} false), naming the entities they are of. The default answers
     * none.
     *
     * @param tokens tokens from {@link #claimTokens()} or {@link ClaimWatcher#granted}
     * @param maxMarks the most marks worth listing, 0 or more
     * @throws StoreException if the store cannot be reached
     */
    default List<ClaimRecord> claimRecords(Collection<Long> tokens, int maxMarks) {
        return List.of();
    }

    /**
     * Starts telling {@code watcher} of this namespace's grants and ends as they happen, until
     * the returned handle is closed. Empty when the store cannot push (the default): a view then
     * reads {@link #claimTokens()} when it is older than its poll interval.
     *
     * @throws StoreException if the store cannot be reached
     */
    default Optional<AutoCloseable> watch(ClaimWatcher watcher) {
        return Optional.empty();
    }

    /** A short description for logs, e.g. {@code redis, namespace 'app'}. */
    String description();

    /**
     * The namespace this store keeps its claims in, as the guard's meters tag it; {@code null}
     * when the store has none, and then the configured {@code conflictguard.namespace} is used.
     * The default answers {@code null}.
     */
    default String namespace() {
        return null;
    }

    /**
     * Removes what this store added to clients it shares with the application (a subscription, a
     * listener) and stops using them; the claims it keeps stay. Idempotent. The default does
     * nothing.
     */
    @Override
    default void close() {
    }
}
