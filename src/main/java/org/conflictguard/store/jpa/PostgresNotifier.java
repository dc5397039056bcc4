package org.conflictguard.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends a PostgreSQL store's notifications (grants, ends, places leaving the queue) after the
 * transactions that caused them committed, from a thread and a connection of its own, several
 * in one statement when they queue up.
 *
 * <p>Why not {@code pg_notify} inside the claim's own statement: a transaction that notifies
 * takes a lock on the whole database's notification queue when it commits and holds it through
 * the commit's WAL flush, so every claim and release of every node committed one at a time (8
 * threads claiming at once spent half their time waiting for that lock, and gained nothing over
 * 2). Sent here, in a transaction of their own that writes no WAL, they hold that lock for a
 * moment. Watchers hear a grant or end as before, a little later (the hand-over to this thread
 * and one statement); notifications queued when the connection fails are dropped (logged), and
 * watchers catch up by comparing with the table, as after any missed notification.
 *
 * <p>Where the unit lends no connection of its own, each committed call sends its notifications
 * in a short transaction of its own on the caller's thread instead. Thread-safe.
 */
final class PostgresNotifier implements Consumer<List<String>>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JpaClaimStore.class.getName());
    static final String APPLICATION_NAME = "conflictguard-notify";
    private static final String SEND = "SELECT COUNT(*) FROM (SELECT pg_notify('" + PostgresFeed.CHANNEL
            + "', p) FROM unnest(CAST(? AS text[])) AS u(p)) x";
    private static final int BATCH = 500;
    private static final int NETWORK_TIMEOUT_MILLIS = 5000;
    private static final List<String> STOP = new ArrayList<>();

    private final PostgresFeed.Source source;
    private final LinkedBlockingQueue<List<String>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private PostgresNotifier(PostgresFeed.Source source) {
        this.source = source;
        this.thread = new Thread(this::run, APPLICATION_NAME);
        this.thread.setDaemon(true);
    }

    /**
     * A notifier on a connection of its own, or, where the unit lends none, one that sends on the
     * caller's thread through {@code direct}.
     */
    static Consumer<List<String>> start(jakarta.persistence.EntityManagerFactory emf, Consumer<List<String>> direct) {
        return PostgresFeed.sourceOf(emf).<Consumer<List<String>>>map(source -> {
            PostgresNotifier notifier = new PostgresNotifier(source);
            notifier.thread.start();
            return notifier;
        }).orElse(direct);
    }

    /** The statement that sends payloads on the channel, with them as its one parameter (a text array). */
    static String sendStatement() {
        return SEND;
    }

    @Override
    public void accept(List<String> payloads) {
        if (!closed) {
            queue.add(payloads);
        }
    }

    private void run() {
        long backOff = 100;
        List<String> carried = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            Connection connection = null;
            try {
                connection = source.open();
                connection.setAutoCommit(true);
                connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
                PostgresFeed.nameItself(connection, APPLICATION_NAME);
                backOff = 100;
                try (PreparedStatement send = connection.prepareStatement(SEND)) {
                    while (true) {
                        if (carried.isEmpty() && !take(carried)) {
                            return;
                        }
                        send.setArray(1, connection.createArrayOf("text", carried.toArray()));
                        send.executeQuery().close();
                        carried.clear();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ConflictGuard could not send " + carried.size()
                        + " notification(s) on PostgreSQL channel " + PostgresFeed.CHANNEL + " (" + e.getMessage()
                        + "); other nodes catch up by comparing with the table within a second");
                carried.clear();
                if (closed) {
                    return;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(backOff);
                } catch (InterruptedException stop) {
                    return;
                }
                backOff = Math.min(5000, backOff * 2);
            } finally {
                if (connection != null) {
                    try {
                        source.release(connection);
                    } catch (SQLException | RuntimeException e) {
                        LOG.log(System.Logger.Level.DEBUG, "giving the notifying connection back failed", e);
                    }
                }
            }
        }
    }

    /** Waits for payloads and takes what is queued (up to a batch); false when closed and drained. */
    private boolean take(List<String> into) {
        try {
            List<String> first = queue.take();
            if (first == STOP) {
                return false;
            }
            into.addAll(first);
            List<String> next;
            while (into.size() < BATCH && (next = queue.peek()) != null && next != STOP) {
                into.addAll(queue.poll());
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Sends what is queued, then stops (waiting up to five seconds). */
    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
