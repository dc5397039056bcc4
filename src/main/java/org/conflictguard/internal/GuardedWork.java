package org.conflictguard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRefusedException;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConflictGuard;
import org.conflictguard.ReleaseOutcome;

/**
 * Work run under a claim, on the calling thread, on an executor, or until a returned
 * {@link CompletionStage} completes: claimed first, bound while it runs, released when it ends
 * however it ends, with the release telling how the work ended. What {@link ConflictGuard#submit}
 * and the {@code @Guarded} interceptor do, and how bound claims follow tasks to other threads.
 * Not API. Thread-safe.
 */
public final class GuardedWork {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private GuardedWork() {
    }

    /**
     * Claims the request's rows, runs {@code work} on this thread with the claim bound, and
     * releases the claim when it returns or throws; a {@code CompletionStage} result keeps the
     * claim until it completes (the returned stage completes after the release).
     *
     * @throws ClaimRefusedException if rows are held by others; the work did not run
     * @throws Exception what the work threw
     */
    public static Object run(ConflictGuard guard, ClaimRequest request, Callable<?> work) throws Exception {
        Claim claim = guard.claim(request).orElseThrow();
        Object result;
        try (Claim.Binding bound = claim.bind()) {
            result = work.call();
        } catch (Throwable failure) {
            release(claim, failure);
            throw failure;
        }
        if (result instanceof CompletionStage<?> stage) {
            CompletableFuture<Object> done = new CompletableFuture<>();
            stage.whenComplete((value, failure) -> {
                release(claim, failure);
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(value);
                }
            });
            return done;
        }
        release(claim, null);
        return result;
    }

    /** See {@link ConflictGuard#submit}. */
    static <T> CompletableFuture<T> submit(ConflictGuard guard, ClaimRequest request, Executor executor,
            Callable<T> work) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(work, "work");
        Claim claim = guard.claim(request).orElseThrow();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                T value = null;
                Throwable failure = null;
                try (Claim.Binding bound = claim.bind()) {
                    value = work.call();
                } catch (Throwable t) {
                    failure = t;
                }
                release(claim, failure);
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        } catch (RuntimeException rejected) {
            release(claim, rejected);
            throw rejected;
        }
        return result;
    }

    /** See {@link ConflictGuard#propagating}. */
    static Executor propagating(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> {
            List<BoundClaim> bound = BoundClaims.snapshot();
            executor.execute(() -> {
                List<Claim.Binding> bindings = new ArrayList<>(bound.size());
                bound.forEach(claim -> bindings.add(claim.bind()));
                try {
                    task.run();
                } finally {
                    for (int i = bindings.size() - 1; i >= 0; i--) {
                        bindings.get(i).close();
                    }
                }
            });
        };
    }

    private static void release(Claim claim, Throwable failure) {
        try {
            ReleaseOutcome outcome = claim instanceof BoundClaim ours ? ours.releaseAfter(failure) : claim.release();
            if (!outcome.isComplete()) {
                LOG.log(System.Logger.Level.WARNING, claim + " had lost " + outcome.lost() + " row(s) before its work"
                        + " ended: its lease lapsed or they were force-released, and others may have changed them");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not release " + claim + "; it lapses with its lease", e);
        }
    }
}
