package org.conflictguard.benchmarks;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.store.redis.RedisClaimStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The entity listener's cost: one transaction that loads 10,000 tasks (100 milestones of 100, in
 * H2) and updates every one, (a) in a unit without the library, (b) with the listener, by the
 * operation holding the project's tree (10,101 rows, bound to the thread), (c) with the listener,
 * by plain code on unclaimed rows while other operations hold rows of the same types: {@code other}
 * says what they hold: a tree of 102 rows as one subtree mark ({@code tree102}), 6,000 or 100,000
 * tasks claimed one by one ({@code rows6000}, {@code rows100000}), or a project of 100,000 tasks as
 * one subtree mark ({@code subtree100000}). The guard uses Redis through a store that counts calls:
 * the trial prints store calls per flush.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlushBenchmark {

    static final int MILESTONES = 100;
    static final int TASKS = 100;
    /** The big project: 100 milestones of 1,000 tasks, ids from {@link #BIG_TASKS}. */
    static final long BIG_PROJECT = 3;
    static final long BIG_TASKS = 1_000_000;

    @Param({"tree102", "rows6000", "subtree100000", "rows100000"})
    public String other;

    /** {@code off}: no meters; {@code registry}: meters on a Micrometer registry (-p meters=off,registry compares them). */
    @Param({"off"})
    public String meters;

    private Databases database;
    private EntityManagerFactory plain;
    private EntityManagerFactory guarded;
    private RedissonClient client;
    private CountingStore store;
    private ConflictGuard guard;
    private Claim holderClaim;
    private Claim otherClaim;
    private Claim bigClaim;
    private long flushes;
    private long callsBefore;
    private int round;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        database = Databases.fresh("h2");
        plain = database.unit("bench-plain", Map.of("jakarta.persistence.schema-generation.database.action", "create",
                "hibernate.jdbc.batch_size", "100"));
        guarded = database.unit("bench-guarded", Map.of("hibernate.jdbc.batch_size", "100"));
        Databases.seedTree(plain, MILESTONES, TASKS);
        // Another tree (a milestone of 100 tasks), claimed by another operation, so that plain
        // writes have claimed rows to miss.
        EntityManager em = plain.createEntityManager();
        em.getTransaction().begin();
        Project otherProject = new Project(2, "other");
        em.persist(otherProject);
        Milestone otherMilestone = new Milestone(100_000, "other", otherProject);
        em.persist(otherMilestone);
        for (int t = 0; t < 100; t++) {
            em.persist(new Task(100_000 + t, "other", otherMilestone));
        }
        em.getTransaction().commit();
        em.close();
        if (!other.equals("tree102")) {
            seedBigProject(plain);
        }

        Config config = new Config();
        config.useSingleServer().setAddress(System.getProperty("redis", "redis://127.0.0.1:6379"));
        client = Redisson.create(config);
        store = new CountingStore(RedisClaimStore.create(client, "bench-flush"));
        org.conflictguard.ConflictGuardBuilder builder = ConflictGuard.builder().store(store).dependencies(guarded)
                .setting("conflictguard.lease", "10m");
        guard = (meters.equals("registry") ? builder.meterRegistry(new io.micrometer.core.instrument.simple
                .SimpleMeterRegistry()) : builder.setting("conflictguard.metrics.enabled", "false")).build();
        if (params.getBenchmark().endsWith("holderWrites")) {
            holderClaim = guard.claim(ClaimRequest.builder().row("Project", 1L).label("holder").build())
                    .orElseThrow();
        }
        otherClaim = guard.claim(ClaimRequest.builder().row("Project", 2L).label("other").build())
                .orElseThrow();
        bigClaim = switch (other) {
            case "tree102" -> null;
            case "subtree100000" -> guard.claim(ClaimRequest.builder().row("Project", BIG_PROJECT).label("big")
                    .build()).orElseThrow();
            case "rows6000", "rows100000" -> {
                int n = other.equals("rows6000") ? 6_000 : 100_000;
                List<Row> rows = new java.util.ArrayList<>(n);
                for (long t = 0; t < n; t++) {
                    rows.add(Row.of("Task", BIG_TASKS + t));
                }
                yield guard.claim(ClaimRequest.builder().rows(rows).dependents(false).label("big").build())
                        .orElseThrow();
            }
            default -> throw new IllegalArgumentException("other: " + other);
        };
    }

    /** Project 3: 100 milestones of 1,000 tasks. */
    private static void seedBigProject(EntityManagerFactory emf) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(new Project(BIG_PROJECT, "big"));
            for (int m = 0; m < 100; m++) {
                Project project = em.find(Project.class, BIG_PROJECT);
                Milestone milestone = new Milestone(200_000 + m, "big" + m, project);
                em.persist(milestone);
                for (int t = 0; t < 1_000; t++) {
                    em.persist(new Task(BIG_TASKS + m * 1_000L + t, "t", milestone));
                }
                em.flush();
                em.clear();
            }
            em.getTransaction().commit();
        } finally {
            em.close();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (holderClaim != null) {
            holderClaim.release();
        }
        otherClaim.release();
        if (bigClaim != null) {
            bigClaim.release();
        }
        guard.close();
        client.getKeys().deleteByPattern("{bench-flush}*");
        client.shutdown();
        plain.close();
        guarded.close();
        database.drop();
    }

    @Setup(Level.Iteration)
    public void countFrom() {
        flushes = 0;
        callsBefore = store.calls.get();
    }

    @TearDown(Level.Iteration)
    public void report() {
        if (flushes > 0) {
            System.out.printf("  [%d flushes, %.1f store calls per flush]%n", flushes,
                    (store.calls.get() - callsBefore) / (double) flushes);
        }
    }

    @Benchmark
    public int noLibrary() {
        return updateAll(plain);
    }

    @Benchmark
    public int holderWrites() {
        try (Claim.Binding bound = holderClaim.bind()) {
            return updateAll(guarded);
        }
    }

    @Benchmark
    public int plainWritesOnUnclaimedRows() {
        return updateAll(guarded);
    }

    private int updateAll(EntityManagerFactory unit) {
        EntityManager em = unit.createEntityManager();
        try {
            em.getTransaction().begin();
            List<Task> tasks = em.createQuery("select t from Task t where t.id < 100000", Task.class)
                    .getResultList();
            round++;
            for (Task task : tasks) {
                task.priority = round;
            }
            em.getTransaction().commit();
            flushes++;
            return tasks.size();
        } finally {
            em.close();
        }
    }
}
