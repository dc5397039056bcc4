package org.conflictguard.example.tracker;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.conflictguard.Claim;
import org.conflictguard.ClaimTarget;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Guarded;

/**
 * The bulk operation: moves every task of a project by some days, one task per transaction, on
 * the server's managed executor. The interceptor claims the project and everything that depends
 * on it before the method runs, and releases the claim when the returned stage completes.
 */
@ApplicationScoped
public class Rescheduler {

    /** The label the claims of this operation carry. */
    public static final String LABEL = "reschedule-project";

    @Inject
    ConflictGuard guard;
    @Inject
    TaskWriter writer;
    @Inject
    Operations operations;
    @Resource
    ManagedExecutorService executor;

    /**
     * Claims the project's tree, registers the operation and starts moving its tasks.
     *
     * @param started receives the operation before this method returns
     * @throws org.conflictguard.ClaimRefusedException (from the interceptor) when any row of the
     *         tree is claimed by another operation; nothing runs then
     */
    @Guarded(entity = Project.class, label = LABEL)
    public CompletionStage<Void> reschedule(@ClaimTarget long projectId, int days,
            java.util.function.Consumer<Operations.Operation> started) {
        Claim claim = guard.current().orElseThrow();
        List<Long> tasks = writer.taskIds(projectId);
        Operations.Operation op = operations.start(claim.operationId(), LABEL, projectId, tasks.size());
        started.accept(op);
        long pause = stepMillis();
        return CompletableFuture.runAsync(() -> {
            for (long task : tasks) {
                writer.shift(task, days);
                op.step();
                pace(pause);
            }
        }, guard.propagating(executor)).whenComplete((ignored, failure) -> op.finish(failure));
    }

    /** The demo's pace: TRACKER_STEP_MS (default 500) per task, so a person can watch it. */
    private static long stepMillis() {
        String value = System.getProperty("tracker.step-ms", System.getenv().getOrDefault("TRACKER_STEP_MS", "500"));
        return Long.parseLong(value.trim());
    }

    private static void pace(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
