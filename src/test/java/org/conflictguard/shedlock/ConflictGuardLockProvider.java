package org.conflictguard.shedlock;

import java.time.Duration;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConflictGuard;

/**
 * A ShedLock {@code LockProvider} written only on ConflictGuard's public API: a lock is a claim of
 * the row {@code ShedLock/<name>} with a fixed lease of {@code lockAtMostFor} (never renewed in
 * the background); unlocking releases it, keeping the row until {@code lockAtLeastFor} has passed
 * since the lock (or its last extension) was taken; extending renews the claim with the new
 * {@code lockAtMostFor}. Thread-safe.
 */
public final class ConflictGuardLockProvider implements ExtensibleLockProvider {

    /** The entity name lock rows are claimed under. */
    public static final String ENTITY = "ShedLock";

    private final ConflictGuard guard;

    public ConflictGuardLockProvider(ConflictGuard guard) {
        this.guard = guard;
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        ClaimResult result = guard.claim(ClaimRequest.builder().label("shedlock " + configuration.getName())
                .row(ENTITY, configuration.getName()).dependents(false)
                .fixedLease(atLeastTheShortest(configuration.getLockAtMostFor())).build());
        return result.isClaimed() ? Optional.of(new Lock(result.claim(), configuration)) : Optional.empty();
    }

    private static Duration atLeastTheShortest(Duration duration) {
        return duration.compareTo(ClaimRequest.MIN_FIXED_LEASE) < 0 ? ClaimRequest.MIN_FIXED_LEASE : duration;
    }

    private static final class Lock extends AbstractSimpleLock {
        private final Claim claim;

        Lock(Claim claim, LockConfiguration configuration) {
            super(configuration);
            this.claim = claim;
        }

        @Override
        protected void doUnlock() {
            Duration keep = Duration.between(ClockProvider.now(), lockConfiguration.getLockAtLeastUntil());
            if (keep.compareTo(ClaimRequest.MIN_FIXED_LEASE) >= 0 && !claim.isLost()) {
                claim.releaseKeeping(keep);
            } else {
                claim.release();
            }
        }

        @Override
        protected Optional<SimpleLock> doExtend(LockConfiguration extended) {
            if (claim.isLost()) {
                return Optional.empty();
            }
            return claim.renew(atLeastTheShortest(extended.getLockAtMostFor()))
                    .map(until -> new Lock(claim, extended));
        }
    }
}
