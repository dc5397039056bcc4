package org.conflictguard.internal;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimStore;

/**
 * Keeps leases: renews each open claim with a renewed lease every third of its lease while the
 * claim is reachable (claims are held weakly, so a dropped claim simply lapses; fixed leases are
 * not renewed), sweeps lapsed claims on schedule, and on close releases the claims still open.
 * One daemon thread per guard. Thread-safe.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    private final ClaimStore store;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<Ticket> tickets = ConcurrentHashMap.newKeySet();
    private final AtomicLong kept = new AtomicLong();
    private volatile boolean closed;

    LeaseKeeper(ClaimStore store, Optional<Duration> sweepEvery) {
        this.store = store;
        this.scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "conflictguard-leases");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        sweepEvery.ifPresent(every -> scheduler.scheduleWithFixedDelay(this::sweepQuietly, every.toMillis(),
                every.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Keeps the claim until it ends, is dropped, or this keeper closes (which releases it); with
     * {@code renew}, renews its lease every third of it meanwhile.
     */
    void keep(DefaultClaim claim, boolean renew) {
        if (kept.incrementAndGet() % 1024 == 0) {
            // Tickets of dropped claims with fixed leases never run to notice: forget them here.
            tickets.removeIf(t -> t.claim.get() == null);
        }
        Ticket ticket = new Ticket(claim, renew);
        tickets.add(ticket);
        claim.renewedBy(ticket);
        ticket.schedule(claim.lease());
    }

    /** How many claims this keeper keeps now. */
    int size() {
        return tickets.size();
    }

    /** Removes lapsed claims now. */
    SweepSummary sweep() {
        return store.sweep();
    }

    /** Stops renewing and sweeping, then releases every claim still open. Idempotent. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        for (Ticket ticket : tickets) {
            DefaultClaim claim = ticket.claim.get();
            if (claim != null && claim.isOpen()) {
                try {
                    claim.release();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not release operation '" + claim.operationId()
                            + "' on close; its claim lapses with its lease", e);
                }
            }
        }
        tickets.clear();
    }

    private void sweepQuietly() {
        try {
            SweepSummary summary = store.sweep();
            if (summary.claims() > 0) {
                LOG.log(System.Logger.Level.INFO, "Swept " + summary.claims() + " lapsed claim(s), freeing "
                        + summary.rows() + " row(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Sweep of lapsed claims failed; it runs again later", e);
        }
    }

    /** One claim's scheduled renewal. */
    final class Ticket implements Runnable {
        private final WeakReference<DefaultClaim> claim;
        private final boolean renew;
        private ScheduledFuture<?> future;
        private boolean cancelled;

        private Ticket(DefaultClaim claim, boolean renew) {
            this.claim = new WeakReference<>(claim);
            this.renew = renew;
        }

        /** Renews every third of {@code lease} from now on, if this ticket renews at all. */
        synchronized void schedule(Duration lease) {
            if (!renew || cancelled || closed) {
                return;
            }
            if (future != null) {
                future.cancel(false);
            }
            long every = Math.max(1, lease.toMillis() / 3);
            try {
                future = scheduler.scheduleWithFixedDelay(this, every, every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // the keeper is closing: it releases the claim
            }
        }

        /** Stops renewing and forgets the claim. */
        synchronized void cancel() {
            cancelled = true;
            if (future != null) {
                future.cancel(false);
            }
            tickets.remove(this);
        }

        @Override
        public void run() {
            DefaultClaim target = claim.get();
            if (target == null || !target.isOpen()) {
                cancel();
                return;
            }
            try {
                target.renew();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "Could not renew the lease of operation '"
                            + target.operationId() + "'; trying again at the next renewal", e);
                }
            }
        }
    }
}
