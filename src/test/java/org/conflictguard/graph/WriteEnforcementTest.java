package org.conflictguard.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.conflictguard.Claim;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ClaimRequest;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.ObservedStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.Writes;
import static org.conflictguard.support.Writes.refusal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Claims follow the dependency graph and the entity listener (registered by the shipped
 * orm.xml) refuses other writers, on a real Hibernate unit. Subclassed per store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class WriteEnforcementTest {

    protected TestDatabase db;
    private EntityManagerFactory tracker;
    private ObservedStore store;
    private ConflictGuard guard;
    private String namespace;
    private final List<ClaimEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A claim store in this namespace. */
    protected abstract ClaimStore newStore(String namespace);

    @BeforeAll
    void createTree() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        tracker = db.unit("tracker");
        inTransaction(em -> {
            Project p1 = new Project(1, "apollo");
            Project p2 = new Project(2, "gemini");
            Milestone m10 = new Milestone(10, "design", p1);
            Milestone m11 = new Milestone(11, "build", p1);
            Milestone m20 = new Milestone(20, "other", p2);
            List.of(p1, p2, m10, m11, m20).forEach(em::persist);
            em.persist(new Task(1, "one", m10));
            em.persist(new Task(2, "two", m10));
            em.persist(new Task(3, "three", m11));
            em.persist(new Task(4, "four", m20));
            em.persist(new Unrelated(1, "free"));
        });
    }

    @BeforeEach
    void startGuard() {
        namespace = "w" + Long.toHexString(System.nanoTime());
        store = new ObservedStore(newStore(namespace));
        events.clear();
        guard = ConflictGuard.builder().store(store).dependencies(tracker).resolver(new SharedTaskResolver()).listener(events::add)
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
    }

    @AfterEach
    void stopGuard() {
        guard.close();
        assertThat(guard.sweep().rows()).isZero();
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @Test
    void aBulkClaimOnAProjectClaimsItsTreeAndOtherWritersAreRefusedWithTheHolder() {
        try (Claim claim = guard.claim(ClaimRequest.builder().label("bulk-archive").user("alice").row("Project", 1)
                .build()).orElseThrow()) {
            assertThat(claim.rows()).contains(Row.of("Milestone", 10), Row.of("Milestone", 11), Row.of("Project", 1),
                    Row.of("Task", 1), Row.of("Task", 2), Row.of("Task", 3), Row.of("Task", 4))
                    .doesNotContain(Row.of("Project", 2), Row.of("Milestone", 20));

            WriteRefusedException refused = refusal(() -> inTransaction(em -> em.find(Task.class, 2L).title = "edited"));
            assertThat(refused.write()).isEqualTo(WriteRefusedException.Write.UPDATE);
            assertThat(refused.row()).isEqualTo(Row.of("Task", 2));
            assertThat(refused.holder().operationId()).isEqualTo(claim.operationId());
            assertThat(refused.holder().label()).isEqualTo("bulk-archive");
            assertThat(refused.getMessage()).startsWith("Cannot update Entity 'Task' id 2: it is claimed by operation '"
                    + claim.operationId() + "' (label 'bulk-archive') for user 'alice' since");
            assertThat(title(2)).isEqualTo("two");

            assertThat(refusal(() -> inTransaction(em -> em.remove(em.find(Milestone.class, 11L)))).write())
                    .isEqualTo(WriteRefusedException.Write.REMOVE);
            assertThat(refusal(() -> inTransaction(em -> em.find(Task.class, 4L).title = "via resolver")).row())
                    .isEqualTo(Row.of("Task", 4));
        }
        inTransaction(em -> em.find(Task.class, 2L).title = "after release");
        assertThat(title(2)).isEqualTo("after release");
    }

    @Test
    void theHoldersOwnWritesPassWithoutAStoreRoundTrip() {
        try (Claim claim = guard.claim(List.of(Row.of("Milestone", 10))).orElseThrow();
                Claim.Binding bound = claim.bind()) {
            int before = store.inspections();
            inTransaction(em -> {
                em.find(Task.class, 1L).title = "mine";
                em.find(Milestone.class, 10L).name = "mine too";
                em.persist(new Task(100, "new under my milestone", em.find(Milestone.class, 10L)));
            });
            assertThat(store.inspections()).isEqualTo(before);
            assertThat(title(1)).isEqualTo("mine");
        }
    }

    @Test
    void newDependentsOfAClaimedRowAreRefusedToOthers() {
        try (Claim claim = guard.claim(List.of(Row.of("Milestone", 11))).orElseThrow()) {
            WriteRefusedException refused = refusal(() -> inTransaction(
                    em -> em.persist(new Task(200, "sneaked in", em.getReference(Milestone.class, 11L)))));
            assertThat(refused.write()).isEqualTo(WriteRefusedException.Write.PERSIST);
            assertThat(refused.row()).isEqualTo(Row.of("Milestone", 11));
            assertThat(refused.getMessage()).startsWith("Cannot add a new Task under Entity 'Milestone' id 11");

            assertThat(refusal(() -> inTransaction(em -> em.persist(new Comment("x1", 3, "on a claimed task")))).row())
                    .isEqualTo(Row.of("Task", 3));
        }
        inTransaction(em -> em.persist(new Comment("x2", 3, "after release")));
    }

    @Test
    void writesOfAnOperationWhoseClaimWasLostAreRefused() {
        Claim claim = guard.claim(ClaimRequest.builder().lease(Duration.ofMillis(400)).row("Task", 3).build())
                .orElseThrow();
        store.stallRenewals();
        try (Claim.Binding bound = claim.bind()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !claim.isHeld());
            WriteRefusedException refused = refusal(() -> inTransaction(em -> em.find(Task.class, 3L).title = "late"));
            assertThat(refused.isOwnClaimLost()).isTrue();
            assertThat(refused.holder()).isNull();
            assertThat(refused.getMessage()).contains("no longer holds its claim");
        } finally {
            store.resumeRenewals();
        }
        await().atMost(Duration.ofSeconds(10)).until(claim::isLost);
        assertThat(events).extracting(ClaimEvent::kind).containsSubsequence(ClaimEvent.Kind.CLAIMED,
                ClaimEvent.Kind.LOST);
        assertThat(claim.release()).isEqualTo(new ReleaseOutcome(1, 0));
        assertThat(title(3)).isNotEqualTo("late");
    }

    @Test
    void guardedWorkInsideAnOperationOverItsRowsRunsUnderIt() {
        try (Claim outer = guard.claim(List.of(Row.of("Project", 2))).orElseThrow();
                Claim.Binding bound = outer.bind()) {
            Claim inner = guard.claim(List.of(Row.of("Task", 4))).orElseThrow();
            assertThat(inner.operationId()).isEqualTo(outer.operationId());
            assertThat(inner.release()).isEqualTo(ReleaseOutcome.NOTHING);
            assertThat(outer.isHeld()).isTrue();
            try (Claim unrelated = guard.claim(List.of(Row.of("Task", 1))).orElseThrow()) {
                assertThat(unrelated.operationId()).isNotEqualTo(outer.operationId());
            }
        }
    }

    @Test
    void workSubmittedThroughTheGuardRunsAsTheOperationAndReleasesWhenDone() throws Exception {
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<String> done = guard.submit(ClaimRequest.builder().label("async")
                    .row("Milestone", 11).build(), executor, () -> {
                        go.await();
                        inTransaction(em -> em.find(Task.class, 3L).title = "from the worker");
                        return "ok";
                    });
            assertThat(refusal(() -> inTransaction(em -> em.find(Task.class, 3L).title = "meanwhile")).holder()
                    .label()).isEqualTo("async");
            go.countDown();
            assertThat(done.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(guard.inspect(List.of(Row.of("Milestone", 11), Row.of("Task", 3)))).isEmpty();
            assertThat(title(3)).isEqualTo("from the worker");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aFlushOfManyPlainWritesCallsTheStoreAFewTimesNotOncePerRowAndStillFindsClaimedRows() {
        inTransaction(em -> {
            Milestone m20 = em.find(Milestone.class, 20L);
            for (int i = 0; i < 200; i++) {
                em.persist(new Task(1000 + i, "bulk " + i, m20));
            }
        });
        try (Claim other = guard.claim(ClaimRequest.builder().label("elsewhere").row("Task", 1).dependents(false)
                .build()).orElseThrow()) {
            int before = store.inspections();
            WriteRefusedException refused = refusal(() -> inTransaction(em -> {
                em.createQuery("select t from Task t where t.id >= 1000 order by t.id", Task.class).getResultList()
                        .forEach(t -> t.title = "renamed");
                em.flush();
                em.find(Task.class, 1L).title = "claimed elsewhere";
            }));
            assertThat(refused.row()).isEqualTo(Row.of("Task", 1));
            assertThat(refused.holder().label()).isEqualTo("elsewhere");
            assertThat(store.inspections() - before).as("store calls for 201 checked writes").isBetween(2, 12);

            // A claim granted in this JVM is seen by the next write at once, burst or not.
            inTransaction(em -> em.find(Task.class, 1100L).title = "free");
            try (Claim late = guard.claim(ClaimRequest.builder().label("late").row("Task", 1100).build())
                    .orElseThrow()) {
                assertThat(refusal(() -> inTransaction(em -> em.find(Task.class, 1100L).title = "now claimed"))
                        .holder().label()).isEqualTo("late");
            }
        } finally {
            inTransaction(em -> em.createQuery("delete from Task t where t.id >= 1000").executeUpdate());
        }
    }

    @Test
    void claimedRowsOfEntitiesOutsideTheGraphAreRefusedToOthersToo() {
        // Regression: Unrelated has no @DependsOn edge and no resolver; its claimed rows used to be writable.
        try (Claim claim = guard.claim(ClaimRequest.builder().label("invoice-run").row("Unrelated", 1).build())
                .orElseThrow()) {
            WriteRefusedException refused = refusal(() -> inTransaction(em -> em.find(Unrelated.class, 1L).text = "x"));
            assertThat(refused.row()).isEqualTo(Row.of("Unrelated", 1));
            assertThat(refused.holder().label()).isEqualTo("invoice-run");
            try (Claim.Binding bound = claim.bind()) {
                inTransaction(em -> em.find(Unrelated.class, 1L).text = "by the holder");
            }
        }
        inTransaction(em -> em.find(Unrelated.class, 1L).text = "after release");
    }

    private void inTransaction(Consumer<EntityManager> work) {
        Writes.inTransaction(tracker, work);
    }

    private String title(long task) {
        EntityManager em = tracker.createEntityManager();
        try {
            return em.find(Task.class, task).title;
        } finally {
            em.close();
        }
    }
}
