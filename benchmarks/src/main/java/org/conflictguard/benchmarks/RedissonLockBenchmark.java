package org.conflictguard.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.redisson.RedissonMultiLock;
import org.redisson.api.RLock;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * What a Redisson user would write instead of a claim store, one acquire + release of N rows:
 * a {@link RedissonMultiLock} over N {@code RLock}s, Redisson's {@code getMultiLock(group, ids)},
 * and N separate {@code RSet.add} calls (released with one {@code removeAll}). Run side by side
 * with {@link RedisClaimBenchmark}, whose numbers they are compared with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedissonLockBenchmark {

    @Param({"1", "10", "100", "1000", "10000"})
    public int rows;

    private RedissonClient client;
    private RLock multiLock;
    private RLock groupLock;
    private RSet<String> set;
    private List<String> ids;

    @Setup(Level.Trial)
    public void setUp() {
        Config config = new Config();
        config.useSingleServer().setAddress(System.getProperty("redis", "redis://127.0.0.1:6379"));
        client = Redisson.create(config);
        ids = IntStream.range(0, rows).mapToObj(Integer::toString).toList();
        multiLock = new RedissonMultiLock(ids.stream().map(id -> client.getLock("{bench}:lock:Task:" + id))
                .toArray(RLock[]::new));
        Collection<Object> values = new ArrayList<>(ids);
        groupLock = client.getMultiLock("{bench}:group:Task", values);
        set = client.getSet("{bench}:set:Task", StringCodec.INSTANCE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.getKeys().deleteByPattern("{bench}*");
        client.shutdown();
    }

    /** One RLock per row, taken together: the lease is Redisson's, 30 s. */
    @Benchmark
    public boolean redissonMultiLock() throws InterruptedException {
        boolean locked = multiLock.tryLock(0, 30, TimeUnit.SECONDS);
        multiLock.unlock();
        return locked;
    }

    /** Redisson's lock over a group of values (one hash). */
    @Benchmark
    public boolean redissonGetMultiLock() throws InterruptedException {
        boolean locked = groupLock.tryLock(0, 30, TimeUnit.SECONDS);
        groupLock.unlock();
        return locked;
    }

    /** N separate SADDs (no all-or-none, no owner, no lease), then one SREM of them all. */
    @Benchmark
    public boolean rsetAddEach() {
        boolean all = true;
        for (String id : ids) {
            all &= set.add(id);
        }
        set.removeAll(ids);
        return all;
    }
}
