package org.conflictguard.containers.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;
import org.conflictguard.WriteRefusedException;

/**
 * Writes of another writer, each in its own JTA transaction, flushed before returning so that a
 * write the entity listener refuses fails here as a {@link WriteRefusedException}.
 */
@ApplicationScoped
@Transactional
public class TaskWriter {

    @PersistenceContext(unitName = "containers")
    EntityManager em;

    public void rename(long taskId, String title) {
        Task task = em.find(Task.class, taskId);
        if (task == null) {
            throw new NotFoundException("There is no task " + taskId);
        }
        task.setTitle(title);
        try {
            em.flush();
        } catch (RuntimeException e) {
            throw WriteRefusedException.findIn(e).orElseThrow(() -> e);
        }
    }

    public String title(long taskId) {
        return em.find(Task.class, taskId).getTitle();
    }
}
