package org.conflictguard.internal;

import java.time.Duration;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;

/**
 * Asks the store for a claim and, when the request may wait, asks again as claims are released
 * until it is granted or the wait is over. Thread-safe.
 */
final class ClaimWaiter {

    /**
     * The store's last answer, when (System.nanoTime) the call that gave it was sent, and how long
     * the claim waited for held rows (0 when the first answer was final).
     */
    record Attempt(ClaimOutcome outcome, long sentNanos, long waitedNanos) {
    }

    private final ClaimStore store;

    ClaimWaiter(ClaimStore store) {
        this.store = store;
    }

    /** @param wait how long to wait for held rows, or null not to wait */
    Attempt claim(ClaimSpec spec, Duration wait) {
        boolean waits = wait != null && !wait.isZero();
        long deadline = System.nanoTime() + (waits ? wait.toNanos() : 0);
        // Read before each try, so that a release between a refusal and the wait is not missed.
        long releases = waits ? store.releases() : 0;
        long sent = System.nanoTime();
        ClaimOutcome outcome = store.claim(spec);
        long waitStarted = System.nanoTime();
        boolean waited = false;
        while (!outcome.isGranted() && deadline - System.nanoTime() > 0) {
            waited = true;
            try {
                store.awaitRelease(releases, Duration.ofNanos(deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            releases = store.releases();
            sent = System.nanoTime();
            outcome = store.claim(spec);
        }
        return new Attempt(outcome, sent, waited ? Math.max(1, System.nanoTime() - waitStarted) : 0);
    }
}
