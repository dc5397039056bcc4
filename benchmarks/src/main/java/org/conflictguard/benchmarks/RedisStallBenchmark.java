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
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * What a claim of a big tree does to everyone else on the same Redis: one thread claims and
 * releases Project 1's tree ({@code tasks} tasks) over and over, as one subtree mark or
 * enumerated, while another client of that Redis sends a trivial command ({@code EXISTS}) in a
 * loop. Sample mode: the ping's percentiles (p99, p99.9, max) are the stall other clients see;
 * {@code pingAlone} is the same ping with nothing else running, the machine's own jitter.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisStallBenchmark {

    @Param({"100000"})
    public int tasks;

    private Trees trees;
    private ConflictGuard withGraph;
    private ConflictGuard flat;
    private RedissonClient other;

    @Setup(Level.Trial)
    public void setUp() {
        trees = new Trees(tasks);
        withGraph = trees.guardWithGraph(trees.store("redis", "bench-tree-stall"));
        flat = Trees.flatGuard(trees.store("redis", "bench-tree-stall"));
        Config config = new Config();
        config.useSingleServer().setAddress(System.getProperty("redis", "redis://127.0.0.1:6379"));
        other = Redisson.create(config);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        withGraph.close();
        flat.close();
        other.shutdown();
        trees.close();
    }

    @Benchmark
    @Group("subtree")
    @GroupThreads(1)
    public int subtreeClaims() {
        Claim claim = withGraph.claim(ClaimRequest.builder().row("Project", Trees.BIG_PROJECT).build()).orElseThrow();
        return claim.release().released();
    }

    @Benchmark
    @Group("subtree")
    @GroupThreads(1)
    public long pingDuringSubtreeClaims() {
        return other.getKeys().countExists("bench-tree-stall-probe");
    }

    @Benchmark
    @Group("alone")
    @GroupThreads(1)
    public long pingAlone() {
        return other.getKeys().countExists("bench-tree-stall-probe");
    }

    @Benchmark
    @Group("enumerated")
    @GroupThreads(1)
    public int enumeratedClaims() {
        List<Row> rows = withGraph.expand(List.of(Row.of("Project", Trees.BIG_PROJECT)));
        Claim claim = flat.claim(ClaimRequest.builder().rows(rows).build()).orElseThrow();
        return claim.release().released();
    }

    @Benchmark
    @Group("enumerated")
    @GroupThreads(1)
    public long pingDuringEnumeratedClaims() {
        return other.getKeys().countExists("bench-tree-stall-probe");
    }
}
