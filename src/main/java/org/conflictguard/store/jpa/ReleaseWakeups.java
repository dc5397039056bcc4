package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * Wakes claims that wait for rows. On PostgreSQL a committed release is notified
 * ({@code pg_notify}, by {@link PostgresNotifier}); a listener started when a claim first waits counts those ends, on one
 * connection and thread of its own for the store, whatever the number of waiters. Elsewhere
 * (MariaDB, H2, or while the listener reconnects) nothing is pushed and a waiter tries again
 * every 250 ms at most. Thread-safe.
 */
final class ReleaseWakeups implements AutoCloseable {

    /** The longest a waiter sleeps before it tries again, pushed or not. */
    private static final long MAX_WAIT_MILLIS = 250;

    private final EntityManagerFactory emf;
    private final String namespace;
    private final boolean pushed;
    private final Object lock = new Object();
    private long ends;
    private Optional<AutoCloseable> feed;
    private boolean closed;

    /** @param pushed whether the database can push ends (PostgreSQL) */
    ReleaseWakeups(EntityManagerFactory emf, String namespace, boolean pushed) {
        this.emf = emf;
        this.namespace = namespace;
        this.pushed = pushed;
    }

    /** How many ends were pushed since the first call; starts listening on the first call. */
    long count() {
        listen();
        synchronized (lock) {
            return ends;
        }
    }

    /** Returns when the count differs from {@code seen}, after at most {@code min(timeout, 250 ms)}. */
    void await(long seen, Duration timeout) throws InterruptedException {
        listen();
        long millis = Math.min(MAX_WAIT_MILLIS, timeout.toMillis());
        synchronized (lock) {
            long until = System.nanoTime() + millis * 1_000_000L;
            while (ends == seen && !closed && until - System.nanoTime() > 0) {
                lock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
            }
        }
    }

    private void listen() {
        if (!pushed) {
            return;
        }
        synchronized (lock) {
            if (feed != null || closed) {
                return;
            }
            feed = PostgresFeed.start(emf, namespace, new PostgresFeed.QueueWatcher() {
                @Override
                public void granted(long token) {
                }

                @Override
                public void left(long ticket) {
                    ended(ticket);
                }

                @Override
                public void ended(long token) {
                    synchronized (lock) {
                        ends++;
                        lock.notifyAll();
                    }
                }

                @Override
                public void interrupted(String why) {
                    // waiters try again every 250 ms meanwhile
                }

                @Override
                public void resumed() {
                    // an end missed meanwhile is found by the next try
                }
            });
        }
    }

    /** Whether the database pushes ends (PostgreSQL). */
    boolean pushed() {
        return pushed;
    }

    /** Stops listening. Idempotent. */
    @Override
    public void close() {
        AutoCloseable listening;
        synchronized (lock) {
            closed = true;
            listening = feed == null ? null : feed.orElse(null);
            lock.notifyAll();
        }
        if (listening != null) {
            try {
                listening.close();
            } catch (Exception e) {
                System.getLogger(JpaClaimStore.class.getName()).log(System.Logger.Level.DEBUG,
                        "closing the release listener failed", e);
            }
        }
    }
}
