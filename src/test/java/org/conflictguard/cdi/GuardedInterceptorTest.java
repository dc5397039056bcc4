package org.conflictguard.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRefusedException;
import org.conflictguard.ClaimEvent;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.graph.Milestone;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Task;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.TestDatabase;
import static org.conflictguard.support.Writes.refusal;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code @Guarded} interceptor, producer, events and async paths in a real CDI container
 * (Weld SE) on a real Hibernate unit. Subclassed per store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GuardedInterceptorTest {

    protected TestDatabase db;
    private WeldContainer container;
    private TrackerService service;
    private ConflictGuard guard;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    /** A claim store for this suite. */
    protected abstract ClaimStore newStore(String namespace);

    @BeforeAll
    void start() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        TestBeans.tracker = db.unit("tracker");
        TestBeans.store = newStore("cdi" + Long.toHexString(System.nanoTime()));
        EntityManager em = TestBeans.tracker.createEntityManager();
        em.getTransaction().begin();
        Project p1 = new Project(1, "apollo");
        Project p2 = new Project(2, "gemini");
        Milestone m10 = new Milestone(10, "design", p1);
        Milestone m20 = new Milestone(20, "other", p2);
        List.of(p1, p2, m10, m20).forEach(em::persist);
        em.persist(new Task(1, "one", m10));
        em.persist(new Task(2, "two", m10));
        em.persist(new Task(4, "four", m20));
        em.getTransaction().commit();
        em.close();
        container = new Weld().disableDiscovery()
                .addBeanClasses(ConflictGuardProducer.class, GuardedInvocations.class, GuardedInterceptor.class,
                        TrackerService.class, TestBeans.class)
                .initialize();
        service = container.select(TrackerService.class).get();
        guard = container.select(ConflictGuard.class).get();
    }

    @AfterAll
    void stop() {
        callers.shutdownNow();
        container.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        TestBeans.EVENTS.clear();
        TrackerService.entered = new CountDownLatch(1);
        TrackerService.proceed = new CountDownLatch(0);
    }

    @Test
    void aBulkMethodClaimsTheTreeOthersAreRefusedAndEditsPassAgainAfterItReturns() throws Exception {
        TrackerService.proceed = new CountDownLatch(1);
        Future<Integer> running = callers.submit(() -> service.archive(1L));
        assertThat(TrackerService.entered.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(guard.claimsOf(TrackerService.currentOperation)).extracting(c -> c.row())
                .containsExactly(Row.of("Project", 1), Row.of("Task", 4));
        assertThat(guard.inspect(List.of(Row.of("Milestone", 10), Row.of("Task", 1), Row.of("Task", 2))).values())
                .hasSize(3).allSatisfy(c -> assertThat(c.within()).isEqualTo(Row.of("Project", 1)));
        WriteRefusedException refused = refusal(() -> service.inTransaction(em -> em.find(Task.class, 2L).title = "x"));
        assertThat(refused.holder().label()).isEqualTo("archive-project");
        assertThat(refused.holder().operationId()).isEqualTo(TrackerService.currentOperation);
        assertThat(refusal(() -> service.inTransaction(
                em -> em.persist(new Task(50, "new", em.find(Milestone.class, 10L))))).write())
                .isEqualTo(WriteRefusedException.Write.PERSIST);
        assertThatThrownBy(() -> service.renameTasks(List.of(taskRef(1)), "competing"))
                .isInstanceOf(ClaimRefusedException.class).hasMessageContaining("'archive-project'");

        TrackerService.proceed.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(title(2)).isEqualTo("archived 2");
        service.renameTasks(List.of(taskRef(2)), "after");
        assertThat(title(2)).isEqualTo("after");
        assertThat(guard.inspect(List.of(Row.of("Project", 1), Row.of("Task", 2)))).isEmpty();
        assertThat(TestBeans.EVENTS).extracting(ClaimEvent::kind).contains(ClaimEvent.Kind.CLAIMED,
                ClaimEvent.Kind.CONFLICT, ClaimEvent.Kind.RELEASED);
        // The guard reports to the application's MeterRegistry bean.
        String namespace = TestBeans.store.namespace();
        assertThat(TestBeans.METERS.get("conflictguard.claims").tag("namespace", namespace).tag("label", "archive-project")
                .tag("result", "granted").tag("mode", "exclusive").counter().count()).isPositive();
        assertThat(TestBeans.METERS.get("conflictguard.write.checks").tag("namespace", namespace).tag("result", "passed")
                .counter().count())
                .isPositive();
    }

    @Test
    void sharedMethodsRunSideBySideAndKeepExclusiveWorkAndWritesOut() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        CompletionStage<String> one = service.exportLater(2L, first);
        CompletionStage<String> two = service.exportLater(2L, second);
        assertThat(guard.inspect(List.of(Row.of("Project", 2))).values()).singleElement()
                .satisfies(c -> assertThat(c.holder().mode()).isEqualTo(org.conflictguard.ClaimMode.SHARED))
                .satisfies(c -> assertThat(c.holder().label()).isEqualTo("export"));
        assertThatThrownBy(() -> service.archiveLater(2L, new CompletableFuture<>()))
                .isInstanceOf(ClaimRefusedException.class).hasMessageContaining("in shared mode");
        assertThat(refusal(() -> service.inTransaction(em -> em.find(Task.class, 4L).title = "x")).holder().mode())
                .isEqualTo(org.conflictguard.ClaimMode.SHARED);
        first.complete("a");
        assertThat(one.toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(guard.inspect(List.of(Row.of("Project", 2)))).as("the second export still holds").hasSize(1);
        second.complete("b");
        assertThat(two.toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(guard.inspect(List.of(Row.of("Project", 2), Row.of("Task", 4)))).isEmpty();
    }

    @Test
    void aMethodThatThrowsReleasesItsClaim() {
        assertThatThrownBy(() -> service.failHalfway(2L)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(guard.inspect(List.of(Row.of("Project", 2), Row.of("Task", 4)))).isEmpty();
    }

    @Test
    void aCompletionStageKeepsItsClaimUntilItCompletesEvenExceptionally() throws Exception {
        CompletableFuture<String> finish = new CompletableFuture<>();
        CompletionStage<String> stage = service.archiveLater(2L, finish);
        assertThat(guard.inspect(List.of(Row.of("Task", 4)))).hasSize(1);
        assertThat(refusal(() -> service.inTransaction(em -> em.find(Task.class, 4L).title = "x")).holder().label())
                .isEqualTo("async-archive");

        finish.completeExceptionally(new IllegalStateException("job failed"));
        assertThatThrownBy(() -> stage.toCompletableFuture().get(30, TimeUnit.SECONDS))
                .hasRootCauseMessage("job failed");
        assertThat(guard.inspect(List.of(Row.of("Task", 4)))).isEmpty();

        CompletableFuture<String> ok = new CompletableFuture<>();
        CompletionStage<String> second = service.archiveLater(2L, ok);
        ok.complete("fine");
        assertThat(second.toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("fine");
        assertThat(guard.inspect(List.of(Row.of("Task", 4)))).isEmpty();
    }

    @Test
    void aGuardedCallInsideAnOperationOverItsRowsRunsUnderIt() {
        String[] ops = service.outerThenInner(1L, 1L).split("/");
        assertThat(ops[0]).isEqualTo(ops[1]);
        assertThat(title(1)).isEqualTo("inner");
        assertThat(guard.inspect(List.of(Row.of("Task", 1)))).isEmpty();
    }

    @Test
    void workOnAPropagatingExecutorRunsAsTheOperation() throws Exception {
        assertThat(service.renameOnWorker(2L, 4L)).isEqualTo("done");
        assertThat(title(4)).isEqualTo("from a worker");
    }

    @Test
    void theWaitPolicyProceedsOnceTheHolderReleasesAndTimesOutOtherwise() throws Exception {
        Claim holder = guard.claim(List.of(Row.of("Project", 2))).orElseThrow();
        long start = System.nanoTime();
        assertThatThrownBy(() -> service.waitBriefly(2L)).isInstanceOf(ClaimRefusedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));

        CountDownLatch waiting = new CountDownLatch(1);
        Future<String> waiter = callers.submit(() -> {
            waiting.countDown();
            return service.waitForProject(2L);
        });
        waiting.await();
        assertThat(waiter.isDone()).isFalse();
        holder.release();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isNotEqualTo(holder.operationId());
    }

    @Test
    void aWaitTimeoutWithoutTheWaitPolicyIsRejectedNamingTheMethod() {
        assertThatThrownBy(() -> service.misconfigured(1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TrackerService.misconfigured: @Guarded(waitSeconds = 5) has no effect without"
                        + " onConflict = WAIT");
    }

    @Test
    void anEntityClassThatIsNotAnEntityIsRejectedNamingTheMethod() {
        assertThatThrownBy(() -> service.notAnEntity(1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TrackerService.notAnEntity: java.lang.String named by @Guarded(entity = ...) or"
                        + " @ClaimTarget(entity = ...) is not a JPA entity");
    }

    @Test
    void aGuardedCallThatWouldClaimNothingIsRefusedBeforeItRunsNamingTheMethodAndParameter() {
        TrackerService.RAN_UNPROTECTED.set(0);
        String method = "org.conflictguard.cdi.TrackerService.";
        assertThatThrownBy(() -> service.nullableTarget(null)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining(method + "nullableTarget: @ClaimTarget parameter 0").hasMessageContaining("is null");
        assertThatThrownBy(() -> service.manyTargets(List.of())).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining(method + "manyTargets: @ClaimTarget parameter 0").hasMessageContaining("is empty");
        assertThatThrownBy(() -> service.manyTargets(java.util.Arrays.asList((Object) null)))
                .isInstanceOf(InvalidClaimException.class).hasMessageContaining("holds null at index 0");
        assertThatThrownBy(() -> service.manyTargets(java.util.Arrays.asList(1L, null)))
                .isInstanceOf(InvalidClaimException.class).hasMessageContaining("holds null at index 1");
        assertThatThrownBy(() -> service.noTarget(1L)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining(method + "noTarget is @Guarded but no parameter carries @ClaimTarget");
        assertThat(TrackerService.RAN_UNPROTECTED).hasValue(0);
        assertThat(guard.inspect(List.of(Row.of("Project", 1)))).isEmpty();
    }

    @Test
    void idsAreConvertedToTheEntitysIdTypeOrRefusedNamingTheParameter() {
        assertThat(service.textTarget("1")).contains(Row.of("Project", 1));
        assertThat(service.textTarget(1)).contains(Row.of("Project", 1));
        assertThatThrownBy(() -> service.textTarget("abc")).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("TrackerService.textTarget: @ClaimTarget parameter 0")
                .hasMessageContaining("Entity 'Project' id 'abc' (String) is not a valid Long id");
        assertThatThrownBy(() -> service.textTarget(java.util.UUID.randomUUID()))
                .isInstanceOf(InvalidClaimException.class).hasMessageContaining("(UUID) is not a valid Long id");
    }

    @Test
    void everyPathOfGuardedWorkTellsInItsReleaseEventHowTheWorkEnded() throws Exception {
        // Regression: work that threw was released with an event like a success's.
        java.util.Map<String, java.util.function.Function<Boolean, Object>> paths = new java.util.LinkedHashMap<>();
        paths.put("@Guarded", fail -> service.mayFail(2L, fail));
        paths.put("@Guarded returning a CompletionStage", fail -> join(service.mayFailLater(2L, fail)));
        paths.put("submit", fail -> join(guard.submit(org.conflictguard.ClaimRequest.builder().label("may-fail")
                .row("Project", 2).build(), callers, () -> {
                    if (fail) {
                        throw new IllegalStateException("work failed");
                    }
                    return "done";
                })));
        for (var path : paths.entrySet()) {
            for (boolean fail : List.of(false, true)) {
                TestBeans.EVENTS.clear();
                if (fail) {
                    assertThatThrownBy(() -> path.getValue().apply(true)).as(path.getKey())
                            .satisfies(e -> assertThat(deepest(e)).hasMessage("work failed"));
                } else {
                    assertThat(path.getValue().apply(false)).as(path.getKey()).isEqualTo("done");
                }
                ClaimEvent released = TestBeans.EVENTS.stream().filter(e -> e.kind() == ClaimEvent.Kind.RELEASED)
                        .findFirst().orElseThrow();
                assertThat(released.label()).isEqualTo("may-fail");
                assertThat(released.failed()).as(path.getKey() + (fail ? " failing" : " succeeding")).isEqualTo(fail);
                if (fail) {
                    assertThat(released.failure()).as(path.getKey()).hasMessage("work failed");
                }
                assertThat(guard.inspect(List.of(Row.of("Project", 2)))).as(path.getKey()).isEmpty();
            }
        }
    }

    private static Throwable deepest(Throwable e) {
        return e.getCause() == null ? e : deepest(e.getCause());
    }

    private static Object join(CompletionStage<?> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String title(long task) {
        EntityManager em = TestBeans.tracker.createEntityManager();
        try {
            return em.find(Task.class, task).title;
        } finally {
            em.close();
        }
    }

    private Task taskRef(long id) {
        EntityManager em = TestBeans.tracker.createEntityManager();
        try {
            return em.find(Task.class, id);
        } finally {
            em.close();
        }
    }
}
