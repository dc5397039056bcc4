package org.conflictguard.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConfigKeys;
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
 * What the meters cost: one claim + release of N rows through the guard on Redis, by a guard
 * with meters on a Micrometer registry and by one with them off, side by side in one run. Redis
 * at {@code -Dredis=redis://127.0.0.1:6379}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetersBenchmark {

    @Param({"10"})
    public int rows;

    private ConflictGuard metered;
    private ConflictGuard plain;
    private List<Row> claimRows;

    @Setup(Level.Trial)
    public void setUp() {
        String redis = System.getProperty("redis", "redis://127.0.0.1:6379");
        claimRows = IntStream.range(0, rows).mapToObj(i -> Row.of("Task", i)).toList();
        metered = ConflictGuard.builder().setting(ConfigKeys.REDIS_ADDRESS, redis)
                .setting(ConfigKeys.NAMESPACE, "bench-metered").meterRegistry(new SimpleMeterRegistry()).build();
        plain = ConflictGuard.builder().setting(ConfigKeys.REDIS_ADDRESS, redis)
                .setting(ConfigKeys.NAMESPACE, "bench-plain").setting(ConfigKeys.METRICS_ENABLED, "false").build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        metered.close();
        plain.close();
    }

    @Benchmark
    public Object withMeters() {
        return cycle(metered);
    }

    @Benchmark
    public Object withoutMeters() {
        return cycle(plain);
    }

    private Object cycle(ConflictGuard guard) {
        Claim claim = guard.claim(ClaimRequest.builder().label("bench").rows(claimRows).build()).orElseThrow();
        return claim.release();
    }
}
