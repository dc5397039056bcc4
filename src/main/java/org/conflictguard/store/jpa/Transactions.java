package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.concurrent.ThreadLocalRandom;
import org.conflictguard.StoreException;

/**
 * Runs store calls in short transactions of their own on a RESOURCE_LOCAL unit, never the
 * caller's. A call ends by committing or rolling back with a value (the notifications it asked
 * for are sent after a commit, dropped after a rollback); a deadlock, serialization
 * failure or lock timeout is retried with backoff; anything else becomes a
 * {@link StoreException}, after the rollback. Thread-safe.
 */
final class Transactions {

    private static final System.Logger LOG = System.getLogger(JpaClaimStore.class.getName());
    /**
     * How often a call meets a retryable failure before it gives up: ten attempts, with the
     * backoff below about 1.2 s in all (eight threads claiming and releasing six rows on MariaDB met
     * six deadlocks in a row for one claim once in a few thousand).
     */
    static final int ATTEMPTS = 10;

    /** How a transaction ends, and with what value. */
    record Step<T>(T value, boolean commit) {
        static <T> Step<T> commit(T value) {
            return new Step<>(value, true);
        }

        static <T> Step<T> rollback(T value) {
            return new Step<>(value, false);
        }
    }

    /** The work of one transaction. */
    @FunctionalInterface
    interface Work<T> {
        Step<T> run(EntityManager em);
    }

    private final EntityManagerFactory emf;
    private final String store;
    private final CommitNotices notices;
    /** A statement every transaction runs first (the isolation level the store needs), or null. */
    private volatile String first;

    /**
     * @param store how failures name the store, e.g. "database (postgresql), namespace 'app'"
     * @param notices the notifications calls ask to send after their commit
     */
    Transactions(EntityManagerFactory emf, String store, CommitNotices notices) {
        this.emf = emf;
        this.store = store;
        this.notices = notices;
    }

    /** Has every transaction from now on run {@code statement} first, before its work. */
    void runFirst(String statement) {
        this.first = statement;
    }

    /** Runs work that always commits. */
    <T> T read(String what, java.util.function.Function<EntityManager, T> work) {
        return run(what, em -> Step.commit(work.apply(em)));
    }

    /**
     * Runs the work in a transaction, retrying retryable failures.
     *
     * @throws StoreException naming the call if the work fails otherwise, or keeps failing
     */
    <T> T run(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            EntityManager em = emf.createEntityManager();
            EntityTransaction tx = em.getTransaction();
            try {
                notices.begin();
                tx.begin();
                String statement = first;
                if (statement != null) {
                    em.createNativeQuery(statement).executeUpdate();
                }
                Step<T> step = work.run(em);
                if (step.commit()) {
                    tx.commit();
                    notices.committed();
                } else {
                    tx.rollback();
                    notices.rolledBack();
                }
                return step.value();
            } catch (RuntimeException e) {
                notices.rolledBack();
                rollback(tx);
                if (SqlErrors.isRetryable(e) && attempt < ATTEMPTS) {
                    LOG.log(System.Logger.Level.DEBUG, "retrying {0} after {1}", what, e);
                    backOff(attempt);
                    continue;
                }
                if (e instanceof org.conflictguard.ConflictGuardException refusal) {
                    throw refusal;
                }
                throw new StoreException("Database store (" + store + ") failed on '" + what + "': " + e.getMessage()
                        + "; check the database connection. The transaction was rolled back", e);
            } finally {
                em.close();
            }
        }
    }

    /** Waits a random while, growing with the attempt, before trying again. */
    static void backOff(int attempt) {
        long bound = Math.min(200, 5L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a database call", e);
        }
    }

    private static void rollback(EntityTransaction tx) {
        try {
            if (tx.isActive()) {
                tx.rollback();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "rollback failed", e);
        }
    }
}
