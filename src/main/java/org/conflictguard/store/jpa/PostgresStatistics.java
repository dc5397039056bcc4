package org.conflictguard.store.jpa;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps PostgreSQL's statistics of {@code cg_object_lock} in step with large claims: after a
 * claim that wrote at least {@link #ROWS} marks is granted, the table is analyzed on a thread of
 * its own, one analysis at a time and at most one every {@link #INTERVAL_NANOS}.
 *
 * <p>Why: the database plans a claim's checks from the table's statistics. Planned with the
 * statistics of a nearly empty table, each check of a small claim read every mark of the
 * namespace instead of probing its own rows (10 rows beside a 50,000-row claim: 13 ms per claim
 * instead of 1.4) until autovacuum analyzed the table, up to a minute (its naptime) after the
 * large claim. Where the store's user does not own the table, PostgreSQL skips the analysis with a
 * warning and nothing fails. Thread-safe.
 */
final class PostgresStatistics implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JpaClaimStore.class.getName());
    /** Marks a claim writes for the table to be analyzed after it. */
    static final int ROWS = 5_000;
    /** The shortest time between two analyses started by one store. */
    static final long INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final Runnable analyze;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long lastStarted = System.nanoTime() - INTERVAL_NANOS;
    private volatile boolean closed;

    /** @param analyze runs {@code ANALYZE cg_object_lock} in a transaction of its own */
    PostgresStatistics(Runnable analyze) {
        this.analyze = analyze;
    }

    /** After a granted claim that wrote {@code marks} marks: analyzes the table if the claim was large. */
    void granted(int marks) {
        if (marks < ROWS || closed || System.nanoTime() - lastStarted < INTERVAL_NANOS
                || !running.compareAndSet(false, true)) {
            return;
        }
        lastStarted = System.nanoTime();
        Thread thread = new Thread(() -> {
            try {
                analyze.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "analyzing cg_object_lock after a large claim failed", e);
            } finally {
                running.set(false);
            }
        }, "conflictguard-analyze");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether an analysis is running. */
    boolean running() {
        return running.get();
    }

    /** Starts no analysis from now on (one running finishes). */
    @Override
    public void close() {
        closed = true;
    }
}
