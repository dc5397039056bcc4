package org.conflictguard.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.conflictguard.Claim;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.WriteChecksEvent;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Mark;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimListener;
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
    private final List<WriteChecksEvent> switches = new java.util.concurrent.CopyOnWriteArrayList<>();

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
        switches.clear();
        guard = ConflictGuard.builder().store(store).dependencies(tracker).resolver(new SharedTaskResolver())
                .listener(new ClaimListener() {
                    @Override
                    public void on(ClaimEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void on(WriteChecksEvent event) {
                        switches.add(event);
                    }
                }).setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
        await("write checks answer from the view").atMost(Duration.ofSeconds(10))
                .until(() -> switches.stream().anyMatch(e -> e.mode() == WriteChecksEvent.Mode.LOCAL));
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
            // One mark for the project's tree, one for the task the resolver adds (with its own subtree).
            assertThat(claim.marks()).containsExactly(new Mark(Row.of("Project", 1), Scope.SUBTREE),
                    new Mark(Row.of("Task", 4), Scope.SUBTREE));
            assertThat(guard.expand(claim.rows())).contains(Row.of("Milestone", 10), Row.of("Milestone", 11),
                    Row.of("Project", 1), Row.of("Task", 1), Row.of("Task", 2), Row.of("Task", 3), Row.of("Task", 4))
                    .doesNotContain(Row.of("Project", 2), Row.of("Milestone", 20));
            RowClaim covered = guard.inspect(List.of(Row.of("Task", 2))).get(Row.of("Task", 2));
            assertThat(covered.within()).isEqualTo(Row.of("Project", 1));
            assertThat(covered.scope()).isEqualTo(Scope.SUBTREE);
            assertThat(covered.holder().operationId()).isEqualTo(claim.operationId());
            assertThat(covered.toString()).startsWith("Entity 'Task' id 2, within Entity 'Project' id 1's subtree, is"
                    + " claimed by operation '" + claim.operationId() + "'");

            WriteRefusedException refused = refusal(() -> inTransaction(em -> em.find(Task.class, 2L).title = "edited"));
            assertThat(refused.write()).isEqualTo(WriteRefusedException.Write.UPDATE);
            assertThat(refused.row()).isEqualTo(Row.of("Task", 2));
            assertThat(refused.holder().operationId()).isEqualTo(claim.operationId());
            assertThat(refused.holder().label()).isEqualTo("bulk-archive");
            assertThat(refused.getMessage()).startsWith("Cannot update Entity 'Task' id 2: it lies within Entity 'Project'"
                    + " id 1's subtree, which is claimed by operation '" + claim.operationId() + "' (label 'bulk-archive')"
                    + " for user 'alice' since");
            assertThat(refused.within()).isEqualTo(Row.of("Project", 1));
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
    void rowsUnderASharedClaimAreWrittenByNobodyNotEvenItsHolders() {
        try (Claim reader = guard.claim(ClaimRequest.builder().label("export").shared().row("Milestone", 10).build())
                .orElseThrow();
                Claim other = guard.claim(ClaimRequest.builder().label("report").shared().row("Project", 1)
                        .dependents(false).build()).orElseThrow()) {
            try (Claim.Binding bound = reader.bind()) {
                WriteRefusedException own = refusal(() -> inTransaction(em -> em.find(Task.class, 1L).title = "mine"));
                assertThat(own.row()).isEqualTo(Row.of("Task", 1));
                assertThat(own.holder().mode()).isEqualTo(org.conflictguard.ClaimMode.SHARED);
                assertThat(own.getMessage()).contains("in shared mode").contains("label 'export'");
                assertThat(own.isOwnClaimLost()).isFalse();
                assertThat(refusal(() -> inTransaction(em -> em.persist(new Task(300, "new",
                        em.getReference(Milestone.class, 10L))))).row()).isEqualTo(Row.of("Milestone", 10));
            }
            assertThat(refusal(() -> inTransaction(em -> em.find(Task.class, 2L).title = "theirs")).holder()
                    .operationId()).isEqualTo(reader.operationId());
            assertThat(refusal(() -> inTransaction(em -> em.find(Project.class, 1L).name = "renamed")).holder()
                    .operationId()).isEqualTo(other.operationId());
            inTransaction(em -> em.find(Milestone.class, 20L).name = "outside both");
        }
        inTransaction(em -> em.find(Task.class, 1L).title = "after both");
        assertThat(title(1)).isEqualTo("after both");
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
    void aFlushOfManyPlainWritesCallsTheStoreOnlyForTheClaimedRowAndStillFindsIt() {
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
            assertThat(store.inspections() - before).as("store calls for 201 checked writes").isBetween(1, 2);

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

    @Test
    void aClaimInsideAnotherOperationsSubtreeIsRefusedNamingTheRowAndTheSubtreeAndViceVersa() {
        try (Claim tree = guard.claim(ClaimRequest.builder().label("tree").row("Project", 1).build()).orElseThrow()) {
            ClaimResult inside = guard.claim(List.of(Row.of("Task", 1)));
            assertThat(inside.conflicts()).singleElement().satisfies(c -> {
                assertThat(c.row()).isEqualTo(Row.of("Task", 1));
                assertThat(c.within()).isEqualTo(Row.of("Project", 1));
                assertThat(c.holder().operationId()).isEqualTo(tree.operationId());
            });
            assertThatThrownBy(inside::orElseThrow).hasMessageContaining("Entity 'Task' id 1, within Entity 'Project'"
                    + " id 1's subtree, is claimed by operation '" + tree.operationId() + "' (label 'tree')");
        }
        try (Claim task = guard.claim(ClaimRequest.builder().label("one-task").row("Task", 2).build()).orElseThrow()) {
            ClaimResult over = guard.claim(List.of(Row.of("Project", 1)));
            assertThat(over.conflicts()).as("exactly the rows of the tree others hold")
                    .extracting(RowClaim::row).containsExactly(Row.of("Task", 2));
            assertThat(guard.claim(List.of(Row.of("Milestone", 11))).isClaimed()).as("a sibling subtree").isTrue();
        }
    }

    @Test
    void writesBelowAClaimedSubtreeAreRefusedToOthersWhateverTheirDepth() {
        try (Claim tree = guard.claim(ClaimRequest.builder().label("tree").row("Project", 1).build()).orElseThrow()) {
            WriteRefusedException removal = refusal(() -> inTransaction(em -> em.remove(em.find(Task.class, 3L))));
            assertThat(removal.write()).isEqualTo(WriteRefusedException.Write.REMOVE);
            assertThat(removal.within()).isEqualTo(Row.of("Project", 1));
            WriteRefusedException added = refusal(() -> inTransaction(
                    em -> em.persist(new Task(300, "under a covered milestone", em.getReference(Milestone.class, 10L)))));
            assertThat(added.write()).isEqualTo(WriteRefusedException.Write.PERSIST);
            assertThat(added.row()).isEqualTo(Row.of("Milestone", 10));
            assertThat(added.within()).isEqualTo(Row.of("Project", 1));
            assertThat(refusal(() -> inTransaction(em -> em.persist(new Comment("deep", 1, "on a covered task"))))
                    .within()).isEqualTo(Row.of("Project", 1));
            inTransaction(em -> em.find(Milestone.class, 20L).name = "another project's milestone is free");
        }
    }

    @Test
    void anUpdateThatMovesARowIsAWriteToTheSubtreeItLeavesAndTheOneItEnters() {
        try {
            // Into another operation's subtree: refused.
            try (Claim other = guard.claim(ClaimRequest.builder().label("project-two").row("Project", 2).build())
                    .orElseThrow()) {
                WriteRefusedException into = refusal(() -> inTransaction(
                        em -> em.find(Task.class, 3L).milestone = em.find(Milestone.class, 20L)));
                assertThat(into.getMessage()).startsWith("Cannot move Entity 'Task' id 3 under Entity 'Milestone' id"
                        + " 20: that row lies within Entity 'Project' id 2's subtree");
            }
            // Out of another operation's subtree: refused.
            try (Claim other = guard.claim(ClaimRequest.builder().label("project-one").row("Project", 1).build())
                    .orElseThrow()) {
                assertThat(refusal(() -> inTransaction(
                        em -> em.find(Task.class, 3L).milestone = em.find(Milestone.class, 20L))).within())
                        .isEqualTo(Row.of("Project", 1));
                // The holder moves its own rows within its subtree.
                try (Claim.Binding bound = other.bind()) {
                    inTransaction(em -> em.find(Task.class, 3L).milestone = em.find(Milestone.class, 10L));
                }
            }
            // A row whose subtree holds another operation's claim does not move.
            try (Claim task = guard.claim(ClaimRequest.builder().label("one-task").row("Task", 3).build())
                    .orElseThrow()) {
                WriteRefusedException below = refusal(() -> inTransaction(
                        em -> em.find(Milestone.class, 10L).project = em.find(Project.class, 2L)));
                assertThat(below.getMessage()).startsWith("Cannot move Entity 'Milestone' id 10 to another parent: rows"
                        + " below it are claimed by operation '" + task.operationId() + "'");
            }
            // Free to move when nothing is claimed; a claim afterwards covers it where it now is.
            inTransaction(em -> em.find(Task.class, 3L).milestone = em.find(Milestone.class, 20L));
            try (Claim moved = guard.claim(ClaimRequest.builder().label("after-move").row("Project", 2).build())
                    .orElseThrow()) {
                assertThat(refusal(() -> inTransaction(em -> em.find(Task.class, 3L).title = "x")).holder().label())
                        .isEqualTo("after-move");
            }
        } finally {
            inTransaction(em -> em.find(Task.class, 3L).milestone = em.find(Milestone.class, 11L));
        }
    }

    @Test
    void aMoveThisNodeDidNotSeeReachesItsClaimsAtOnceAndItsWriteChecksWithinTheCachesAge() {
        try {
            inTransaction(em -> em.find(Task.class, 3L).title = "seen under project 1");
            // Another node moves Milestone 11, with Task 3, to project 2 (plain SQL: no listener here sees it).
            db.execute("UPDATE Milestone SET project_id = 2 WHERE id = 11");
            try (Claim projectTwo = guard.claim(ClaimRequest.builder().label("project-two").row("Project", 2).build())
                    .orElseThrow()) {
                assertThat(guard.claim(List.of(Row.of("Task", 3))).conflicts()).as("claims read the tree as it is")
                        .singleElement().satisfies(c -> assertThat(c.within()).isEqualTo(Row.of("Project", 2)));
                long moved = System.nanoTime();
                await("the write check follows the move").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50)).until(() -> {
                            try {
                                inTransaction(em -> em.find(Task.class, 3L).title = "t" + System.nanoTime());
                                return false;
                            } catch (RuntimeException e) {
                                return WriteRefusedException.findIn(e).isPresent();
                            }
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - moved))
                        .isLessThan(org.conflictguard.internal.graph.Lineage.MAX_AGE.plusMillis(500));
            }
        } finally {
            db.execute("UPDATE Milestone SET project_id = 1 WHERE id = 11");
            db.execute("UPDATE Task SET title = 'three' WHERE id = 3");
        }
    }

    @Test
    void guardedWorkOverRowsInsideTheBoundSubtreeRunsUnderIt() {
        try (Claim tree = guard.claim(List.of(Row.of("Project", 1))).orElseThrow();
                Claim.Binding bound = tree.bind()) {
            Claim inner = guard.claim(List.of(Row.of("Task", 2), Row.of("Milestone", 11))).orElseThrow();
            assertThat(inner.operationId()).isEqualTo(tree.operationId());
            assertThat(inner.release()).isEqualTo(ReleaseOutcome.NOTHING);
            int before = store.inspections();
            inTransaction(em -> em.find(Milestone.class, 11L).name = "the holder, deep in its subtree");
            assertThat(store.inspections()).as("no store round trip for the holder").isEqualTo(before);
        }
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
