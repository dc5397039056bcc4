package org.conflictguard.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.conflictguard.ClaimMode;
import org.conflictguard.ClaimTarget;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Guarded;
import org.conflictguard.OnConflict;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Task;
import org.conflictguard.support.Writes;

/** An application service guarded with the interceptor. */
@ApplicationScoped
public class TrackerService {

    /** Opened by tests to let a running operation go on. */
    static volatile CountDownLatch proceed = new CountDownLatch(0);
    /** Counted down when an operation has started. */
    static volatile CountDownLatch entered = new CountDownLatch(1);
    /** What the running operation saw of its own claim. */
    static volatile String currentOperation;

    @Inject
    EntityManagerFactory units;
    @Inject
    ConflictGuard guard;
    @Inject
    TrackerService self;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    @Guarded(entity = Project.class, label = "archive-project")
    public int archive(@ClaimTarget long projectId) throws InterruptedException {
        currentOperation = guard.current().orElseThrow().operationId();
        entered.countDown();
        proceed.await(30, TimeUnit.SECONDS);
        inTransaction(em -> em.createQuery("SELECT t FROM Task t WHERE t.milestone.project.id = :p", Task.class)
                .setParameter("p", projectId).getResultList().forEach(t -> t.title = "archived " + t.id));
        return 1;
    }

    @Guarded(entity = Project.class)
    public void failHalfway(@ClaimTarget long projectId) {
        throw new IllegalStateException("boom");
    }

    @Guarded(entity = Project.class, label = "async-archive")
    public CompletionStage<String> archiveLater(@ClaimTarget long projectId, CompletableFuture<String> finish) {
        entered.countDown();
        return finish;
    }

    @Guarded(entity = Project.class, label = "export", mode = ClaimMode.SHARED)
    public CompletionStage<String> exportLater(@ClaimTarget long projectId, CompletableFuture<String> finish) {
        return finish;
    }

    @Guarded(label = "rename-tasks")
    public void renameTasks(@ClaimTarget List<Task> tasks, String title) {
        inTransaction(em -> tasks.forEach(t -> em.find(Task.class, t.id).title = title));
    }

    @Guarded(entity = Project.class, label = "outer")
    public String outerThenInner(@ClaimTarget long projectId, long taskId) {
        return self.inner(taskId) + "/" + guard.current().orElseThrow().operationId();
    }

    @Guarded(entity = Task.class, label = "inner")
    public String inner(@ClaimTarget long taskId) {
        inTransaction(em -> em.find(Task.class, taskId).title = "inner");
        return guard.current().orElseThrow().operationId();
    }

    @Guarded(entity = Project.class, label = "waiting", onConflict = OnConflict.WAIT, waitSeconds = 10)
    public String waitForProject(@ClaimTarget long projectId) {
        return guard.current().orElseThrow().operationId();
    }

    @Guarded(entity = Project.class, label = "impatient", onConflict = OnConflict.WAIT, waitSeconds = 1)
    public String waitBriefly(@ClaimTarget long projectId) {
        return "ran";
    }

    @Guarded(entity = String.class)
    public void notAnEntity(@ClaimTarget long id) {
    }

    @Guarded(entity = Project.class, waitSeconds = 5)
    public void misconfigured(@ClaimTarget long projectId) {
    }

    @Guarded(entity = Project.class, label = "fan-out")
    public String renameOnWorker(@ClaimTarget long projectId, long taskId) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            inTransaction(em -> em.find(Task.class, taskId).title = "from a worker");
            return "done";
        }, guard.propagating(workers)).get(30, TimeUnit.SECONDS);
    }

    /** How many times a method below that must be refused before it runs has run anyway. */
    static final java.util.concurrent.atomic.AtomicInteger RAN_UNPROTECTED = new java.util.concurrent.atomic.AtomicInteger();

    @Guarded(entity = Project.class)
    public void nullableTarget(@ClaimTarget Long projectId) {
        RAN_UNPROTECTED.incrementAndGet();
    }

    @Guarded(entity = Project.class)
    public void manyTargets(@ClaimTarget List<Object> projectIds) {
        RAN_UNPROTECTED.incrementAndGet();
    }

    @Guarded(entity = Project.class)
    public void noTarget(long projectId) {
        RAN_UNPROTECTED.incrementAndGet();
    }

    @Guarded(entity = Project.class, label = "by-text")
    public List<org.conflictguard.Row> textTarget(@ClaimTarget Object projectId) {
        return guard.current().orElseThrow().rows();
    }

    @Guarded(entity = Project.class, label = "may-fail")
    public String mayFail(@ClaimTarget long projectId, boolean fail) {
        if (fail) {
            throw new IllegalStateException("work failed");
        }
        return "done";
    }

    @Guarded(entity = Project.class, label = "may-fail")
    public CompletionStage<String> mayFailLater(@ClaimTarget long projectId, boolean fail) {
        return fail ? CompletableFuture.failedFuture(new IllegalStateException("work failed"))
                : CompletableFuture.completedFuture("done");
    }

    void inTransaction(Consumer<EntityManager> work) {
        Writes.inTransaction(units, work);
    }
}
