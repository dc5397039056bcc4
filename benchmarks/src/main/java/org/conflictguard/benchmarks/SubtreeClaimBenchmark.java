package org.conflictguard.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
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

/**
 * Claim + release of trees, side by side: as one subtree mark (the guard with the dependency
 * graph), and enumerated (the graph's expansion, then every row claimed alone by a guard that
 * knows no tree: what a claim cost before subtree marks). Trees: Project 1 with 100 milestones
 * and {@code tasks} tasks; small claims: one task of it (a leaf, with intentions on its milestone
 * and project), and a milestone with 100 tasks. Each trial prints the application unit's
 * statements per claim.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubtreeClaimBenchmark {

    @Param({"redis", "postgresql"})
    public String store;

    @Param({"100000"})
    public int tasks;

    private Trees trees;
    private ConflictGuard withGraph;
    private ConflictGuard flat;
    private long claims;
    private long statementsBefore;

    @Setup(Level.Trial)
    public void setUp() {
        trees = new Trees(tasks);
        withGraph = trees.guardWithGraph(trees.store(store, "bench-tree"));
        flat = Trees.flatGuard(trees.store(store, "bench-tree"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        withGraph.close();
        flat.close();
        trees.close();
    }

    @Setup(Level.Iteration)
    public void countFrom() {
        claims = 0;
        statementsBefore = trees.statements();
    }

    @TearDown(Level.Iteration)
    public void report() {
        if (claims > 0) {
            System.out.printf("  [%d claims, %.2f statements of the application unit per claim]%n", claims,
                    (trees.statements() - statementsBefore) / (double) claims);
        }
    }

    /** The whole tree as one mark. */
    @Benchmark
    public int treeAsSubtree() {
        return subtree(Row.of("Project", Trees.BIG_PROJECT));
    }

    /** The whole tree, every row claimed alone. */
    @Benchmark
    public int treeEnumerated() {
        return enumerated(Row.of("Project", Trees.BIG_PROJECT));
    }

    /** One leaf task: a mark on it, intentions on its milestone and project. */
    @Benchmark
    public int oneTaskAsSubtree() {
        return subtree(Row.of("Task", Trees.ONE_TASK));
    }

    /** One leaf task, enumerated: the task alone. */
    @Benchmark
    public int oneTaskEnumerated() {
        return enumerated(Row.of("Task", Trees.ONE_TASK));
    }

    /** A milestone with 100 tasks: one mark, an intention on its project. */
    @Benchmark
    public int milestoneAsSubtree() {
        return subtree(Row.of("Milestone", Trees.SMALL_MILESTONE));
    }

    /** A milestone with 100 tasks, enumerated: 101 rows. */
    @Benchmark
    public int milestoneEnumerated() {
        return enumerated(Row.of("Milestone", Trees.SMALL_MILESTONE));
    }

    private int subtree(Row root) {
        claims++;
        Claim claim = withGraph.claim(ClaimRequest.builder().rows(List.of(root)).build()).orElseThrow();
        return claim.release().released();
    }

    private int enumerated(Row root) {
        claims++;
        List<Row> rows = withGraph.expand(List.of(root));
        Claim claim = flat.claim(ClaimRequest.builder().rows(rows).build()).orElseThrow();
        return claim.release().released();
    }
}
