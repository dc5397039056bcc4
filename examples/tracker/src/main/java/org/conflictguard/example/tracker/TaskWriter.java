package org.conflictguard.example.tracker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;
import java.time.LocalDate;
import java.util.List;
import org.conflictguard.WriteRefusedException;

/**
 * Every write of the application, each in its own JTA transaction. Each flushes before it
 * returns, so a write the entity listener refuses fails here as a {@link WriteRefusedException}
 * (which the library's mapper turns into a 409), not later inside the commit.
 */
@ApplicationScoped
@Transactional
public class TaskWriter {

    @PersistenceContext(unitName = "tracker")
    EntityManager em;

    public List<Long> taskIds(long projectId) {
        return em.createQuery("select t.id from Task t where t.milestone.project.id = :p order by t.id", Long.class)
                .setParameter("p", projectId).getResultList();
    }

    public void shift(long taskId, int days) {
        Task task = em.find(Task.class, taskId);
        if (task != null) {
            task.setDue(task.getDue().plusDays(days));
            flush();
        }
    }

    public Task edit(long taskId, String title, LocalDate due) {
        Task task = find(taskId);
        task.setTitle(title);
        task.setDue(due);
        flush();
        return task;
    }

    public void delete(long taskId) {
        em.remove(find(taskId));
        flush();
    }

    private Task find(long taskId) {
        Task task = em.find(Task.class, taskId);
        if (task == null) {
            throw new NotFoundException("There is no task " + taskId);
        }
        return task;
    }

    private void flush() {
        try {
            em.flush();
        } catch (RuntimeException e) {
            throw WriteRefusedException.findIn(e).orElseThrow(() -> e);
        }
    }
}
