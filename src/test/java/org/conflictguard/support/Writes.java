package org.conflictguard.support;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.function.Consumer;
import org.conflictguard.WriteRefusedException;

/** Writes through JPA in their own transaction, and what the entity listener said of them. */
public final class Writes {

    private Writes() {
    }

    /** Runs {@code work} in a new transaction of {@code unit}, rolled back if it fails. */
    public static void inTransaction(EntityManagerFactory unit, Consumer<EntityManager> work) {
        EntityManager em = unit.createEntityManager();
        try {
            em.getTransaction().begin();
            work.accept(em);
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    /** Reads one entity in a transaction of its own and maps it while its unit is open. */
    public static <E, T> T find(EntityManagerFactory unit, Class<E> type, Object id, java.util.function.Function<E, T> map) {
        EntityManager em = unit.createEntityManager();
        try {
            return map.apply(em.find(type, id));
        } finally {
            em.close();
        }
    }

    /** The refusal a write met, wherever the provider wrapped it; fails if the write passed. */
    public static WriteRefusedException refusal(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            return WriteRefusedException.findIn(e).orElseThrow(() -> e);
        }
        throw new AssertionError("the write was not refused");
    }
}
