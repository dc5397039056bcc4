package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.graph.Milestone;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Task;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.ObservedStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.Writes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Eight threads claim random projects and milestones with their dependents, write as holders,
 * write as strangers to rows they know are held, release, and let some claims lapse, for
 * {@code -Dconflictguard.soak.seconds} (10 by default; 60 or more for the long run). An
 * invariant checker counts rows held by two live claims, foreign writes accepted, holder writes
 * refused and claims left at the end: all must be zero. Subclassed per store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SoakTest {

    private static final int PROJECTS = 5;
    private static final int MILESTONES_PER_PROJECT = 3;
    private static final int TASKS_PER_MILESTONE = 4;

    protected TestDatabase db;
    private EntityManagerFactory tracker;

    /** A claim store in this namespace. */
    protected abstract ClaimStore newStore(String namespace);

    @BeforeAll
    void createTree() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        tracker = db.unit("tracker");
        Writes.inTransaction(tracker, em -> {
            long task = 1;
            for (long p = 1; p <= PROJECTS; p++) {
                Project project = new Project(p, "p" + p);
                em.persist(project);
                for (long m = 1; m <= MILESTONES_PER_PROJECT; m++) {
                    Milestone milestone = new Milestone(p * 10 + m, "m", project);
                    em.persist(milestone);
                    for (int t = 0; t < TASKS_PER_MILESTONE; t++) {
                        em.persist(new Task(task++, "t", milestone));
                    }
                }
            }
        });
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @Test
    void soak() throws Exception {
        String namespace = "soak" + Long.toHexString(System.nanoTime());
        ClaimStore store = newStore(namespace);
        ObservedStore pausedStore = new ObservedStore(store);
        pausedStore.stallRenewals();
        Duration duration = Duration.ofSeconds(Long.getLong("conflictguard.soak.seconds", 10));
        Map<Row, String> owners = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong claims = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        AtomicLong holderWrites = new AtomicLong();
        AtomicLong foreignRefused = new AtomicLong();
        AtomicLong lapses = new AtomicLong();
        try (ConflictGuard guard = ConflictGuard.builder().store(store).dependencies(tracker)
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
                ConflictGuard paused = ConflictGuard.builder().store(pausedStore).dependencies(tracker)
                        .setting(ConfigKeys.SWEEP_INTERVAL, "off").build()) {
            long deadline = System.nanoTime() + duration.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    Random random = new Random(42 + w);
                    workers.add(pool.submit(() -> {
                        while (System.nanoTime() < deadline) {
                            Row target = random.nextBoolean() ? Row.of("Project", 1 + random.nextInt(PROJECTS))
                                    : Row.of("Milestone", (1 + random.nextInt(PROJECTS)) * 10 + 1
                                            + random.nextInt(MILESTONES_PER_PROJECT));
                            if (random.nextInt(10) == 0) {
                                lapse(paused, guard.expand(List.of(target)), violations, lapses);
                                continue;
                            }
                            ClaimResult result = guard.claim(ClaimRequest.builder().row(target.entity(), target.id())
                                    .lease(Duration.ofSeconds(5)).build());
                            if (!result.isClaimed()) {
                                conflicts.incrementAndGet();
                                continue;
                            }
                            Claim claim = result.claim();
                            claims.incrementAndGet();
                            List<Row> covered = guard.expand(claim.rows());
                            for (Row row : covered) {
                                String other = owners.putIfAbsent(row, claim.operationId());
                                if (other != null) {
                                    violations.add("double hold of " + row + " by " + claim.operationId() + " and " + other);
                                }
                            }
                            List<Long> tasks = covered.stream().filter(r -> r.entity().equals("Task"))
                                    .map(r -> Long.valueOf(r.id())).toList();
                            long task = tasks.get(random.nextInt(tasks.size()));
                            try (Claim.Binding bound = claim.bind()) {
                                Writes.inTransaction(tracker, em -> em.find(Task.class, task).title = "by holder");
                                holderWrites.incrementAndGet();
                            } catch (RuntimeException e) {
                                violations.add("holder write refused: " + e);
                            }
                            try {
                                Writes.refusal(() -> Writes.inTransaction(tracker,
                                        em -> em.find(Task.class, task).title = "by a stranger"));
                                foreignRefused.incrementAndGet();
                            } catch (AssertionError accepted) {
                                violations.add("foreign write to held task " + task + " accepted");
                            }
                            for (Row row : covered) {
                                if (!owners.remove(row, claim.operationId())) {
                                    violations.add("owner record of " + row + " lost");
                                }
                            }
                            var outcome = claim.release();
                            if (outcome.lost() != 0) {
                                violations.add("a renewed claim lost rows: " + outcome);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get(duration.toSeconds() + 300, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                pausedStore.resumeRenewals();
            }
            guard.sweep();
            long leftovers = guard.inspect(guard.expand(allProjects())).size();
            long doubleHolds = violations.stream().filter(v -> v.startsWith("double hold")).count();
            long foreignAccepted = violations.stream().filter(v -> v.startsWith("foreign write")).count();
            System.err.printf("soak on %s for %ds: %d claims, %d conflicts, %d holder writes, %d foreign writes refused,"
                    + " %d lapsed claims fenced%n", store.description(), duration.toSeconds(), claims.get(),
                    conflicts.get(), holderWrites.get(), foreignRefused.get(), lapses.get());
            System.err.printf("soak: %d claims, %d double holds, %d foreign writes accepted, %d leftovers%n",
                    claims.get(), doubleHolds, foreignAccepted, leftovers);
            assertThat(violations).isEmpty();
            assertThat(leftovers).isZero();
            assertThat(claims.get()).isPositive();
            assertThat(foreignRefused.get()).isEqualTo(holderWrites.get());
        }
    }

    /** A claim whose holder stops renewing: once lapsed, its own writes are refused and it takes nothing from others. */
    private void lapse(ConflictGuard paused, List<Row> rows, List<String> violations, AtomicLong lapses) {
        ClaimResult result = paused.claim(ClaimRequest.builder().rows(rows).lease(Duration.ofMillis(200))
                .dependents(false).build());
        if (!result.isClaimed()) {
            return;
        }
        Claim claim = result.claim();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> !claim.isHeld());
        long task = rows.stream().filter(r -> r.entity().equals("Task")).map(r -> Long.valueOf(r.id())).findFirst()
                .orElseThrow();
        try (Claim.Binding bound = claim.bind()) {
            WriteRefusedException refused = Writes.refusal(() -> Writes.inTransaction(tracker,
                    em -> em.find(Task.class, task).title = "by a holder past its lease"));
            if (!refused.isOwnClaimLost() && refused.holder() == null) {
                violations.add("lapsed holder's write refused for the wrong reason: " + refused.getMessage());
            }
            lapses.incrementAndGet();
        } catch (AssertionError accepted) {
            violations.add("a holder past its lease wrote task " + task);
        }
        claim.release();
    }

    private static List<Row> allProjects() {
        List<Row> rows = new ArrayList<>();
        for (long p = 1; p <= PROJECTS; p++) {
            rows.add(Row.of("Project", p));
        }
        return rows;
    }
}
