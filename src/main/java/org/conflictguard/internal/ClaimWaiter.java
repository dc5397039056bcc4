package org.conflictguard.internal;

import java.time.Duration;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.QueuePlace;

/**
 * Asks the store for a claim and, when the request may wait, asks again as claims are released
 * until it is granted or the wait is over. On a store that keeps a queue, a waiting claim holds a
 * place in it from its first refusal (so that claims for overlapping rows are granted in the
 * order they first asked), renews the place with every try and gives it up when it stops
 * waiting. Thread-safe.
 */
final class ClaimWaiter {

    private static final System.Logger LOG = System.getLogger(ClaimWaiter.class.getName());

    /**
     * How long the store keeps a place after the last try: a waiter tries again at least every
     * half of this (every 250 ms where the store pushes nothing), so a place outlives its waiter's
     * pauses and lapses within this of its process dying.
     */
    static final Duration PLACE_KEPT = Duration.ofSeconds(2);

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
        boolean queues = waits && store.queuesWaiters();
        boolean pushed = waits && store.pushesReleases();
        long deadline = System.nanoTime() + (waits ? wait.toNanos() : 0);
        // Read before each try, so that a release between a refusal and the wait is not missed.
        long releases = waits ? store.releases() : 0;
        long sent = System.nanoTime();
        long ticket = 0;
        ClaimOutcome outcome = queues ? store.claim(spec, place(ticket, deadline)) : store.claim(spec);
        ticket = outcome.ticket();
        long waitStarted = System.nanoTime();
        boolean waited = false;
        try {
            while (!outcome.isGranted() && deadline - System.nanoTime() > 0) {
                waited = true;
                try {
                    awaitTurn(releases, eventsToWaitFor(outcome), pushed, sent, deadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                releases = store.releases();
                sent = System.nanoTime();
                outcome = queues ? store.claim(spec, place(ticket, deadline)) : store.claim(spec);
                if (outcome.ticket() != 0) {
                    ticket = outcome.ticket();
                }
            }
        } finally {
            if (!outcome.isGranted() && ticket != 0) {
                leave(ticket);
            }
        }
        return new Attempt(outcome, sent, waited ? Math.max(1, System.nanoTime() - waitStarted) : 0);
    }

    /**
     * How many pushed events (releases, places leaving the queue) to wait for before trying again:
     * one for a claim that only holders are in the way of; for one behind places in the queue, as
     * many as the places ahead of it, which must all leave before it can be granted. So a release
     * wakes the claims at the head of the queue, not every claim in it.
     */
    private static long eventsToWaitFor(ClaimOutcome refused) {
        return Math.max(1, refused.conflicts().stream().filter(c -> c.holder().waiting())
                .map(c -> c.holder().operationId()).distinct().count());
    }

    /**
     * Returns when {@code events} events were counted since {@code seen}, or it is time to try again
     * anyway: at once where the store pushes nothing (its {@link ClaimStore#awaitRelease} then
     * polls), else once the place needs renewing (half of {@link #PLACE_KEPT} after the last try,
     * which also bounds the wait when an event is missed), or at the deadline.
     */
    private void awaitTurn(long seen, long events, boolean pushed, long lastTry, long deadline)
            throws InterruptedException {
        long renewBy = lastTry + PLACE_KEPT.toNanos() / 2;
        while (true) {
            long now = System.nanoTime();
            long until = pushed ? Math.min(deadline, renewBy) : deadline;
            if (until - now <= 0) {
                return;
            }
            long count = store.releases();
            if (count - seen >= events) {
                return;
            }
            store.awaitRelease(count, Duration.ofNanos(until - now));
            if (!pushed) {
                return;
            }
        }
    }

    private static QueuePlace place(long ticket, long deadline) {
        long left = Math.max(1_000_000L, deadline - System.nanoTime());
        return new QueuePlace(ticket, Duration.ofNanos(Math.min(left, PLACE_KEPT.toNanos())).plusMillis(1));
    }

    private void leave(long ticket) {
        try {
            store.leaveQueue(ticket);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "A waiting claim's place in the queue could not be given up; it lapses by"
                    + " itself within " + PLACE_KEPT.toMillis() + " ms", e);
        }
    }
}
