package org.conflictguard.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;

/** What every guard does the same way, with or without a store: expansion, bound claims, guarded work. */
abstract class GuardBase implements ConflictGuard {

    /** The rows requests and questions are about. */
    final ClaimRows rows;

    GuardBase(ClaimRows rows) {
        this.rows = rows;
    }

    @Override
    public final List<Row> expand(Collection<Row> rows) {
        return this.rows.expand(rows);
    }

    @Override
    public final Optional<Claim> current() {
        return Optional.ofNullable(BoundClaims.current(this));
    }

    @Override
    public final Executor propagating(Executor executor) {
        return GuardedWork.propagating(executor);
    }

    @Override
    public final <T> CompletableFuture<T> submit(ClaimRequest request, Executor executor, Callable<T> work) {
        return GuardedWork.submit(this, request, executor, work);
    }

    @Override
    public String toString() {
        return "ConflictGuard[" + description() + "]";
    }
}
