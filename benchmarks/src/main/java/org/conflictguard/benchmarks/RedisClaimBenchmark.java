package org.conflictguard.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
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
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * One claim + release cycle of N rows: the Redis store with its full semantics (owners, leases,
 * per-operation index, tokens) side by side with the simplest sketches a user might write
 * instead, and one trivial Redis command as the floor of any call. Redis at
 * {@code -Dredis=redis://127.0.0.1:6379}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisClaimBenchmark {

    /**
     * Sketch (a): check the ids are free in one set, add them; release removes them. In chunks of
     * 500 arguments, as any such script must be: Lua's unpack refuses about 8,000 values at once.
     */
    private static final String BARE_CLAIM = """
            for s = 1, #ARGV, 500 do
              local free = redis.call('SMISMEMBER', KEYS[1], unpack(ARGV, s, math.min(s + 499, #ARGV)))
              for i = 1, #free do if free[i] == 1 then return 0 end end
            end
            for s = 1, #ARGV, 500 do redis.call('SADD', KEYS[1], unpack(ARGV, s, math.min(s + 499, #ARGV))) end
            return 1""";
    private static final String BARE_RELEASE = """
            local n = 0
            for s = 1, #ARGV, 500 do n = n + redis.call('SREM', KEYS[1], unpack(ARGV, s, math.min(s + 499, #ARGV))) end
            return n""";
    /** Sketch (b): the same plus an id -> operation hash, released only where the operation owns the id. */
    static final String OWNER_CLAIM = """
            local op = ARGV[1]
            for s = 2, #ARGV, 500 do
              local free = redis.call('SMISMEMBER', KEYS[1], unpack(ARGV, s, math.min(s + 499, #ARGV)))
              for i = 1, #free do if free[i] == 1 then return 0 end end
            end
            for s = 2, #ARGV, 500 do
              local e = math.min(s + 499, #ARGV)
              redis.call('SADD', KEYS[1], unpack(ARGV, s, e))
              local pairs_ = {}
              for i = s, e do pairs_[#pairs_ + 1] = ARGV[i]; pairs_[#pairs_ + 1] = op end
              redis.call('HSET', KEYS[2], unpack(pairs_))
            end
            return 1""";
    static final String OWNER_RELEASE = """
            local op = ARGV[1]
            local n = 0
            for s = 2, #ARGV, 500 do
              local e = math.min(s + 499, #ARGV)
              local owners = redis.call('HMGET', KEYS[2], unpack(ARGV, s, e))
              local mine = {}
              for i = 1, #owners do if owners[i] == op then mine[#mine + 1] = ARGV[s + i - 1] end end
              if #mine > 0 then
                redis.call('HDEL', KEYS[2], unpack(mine))
                redis.call('SREM', KEYS[1], unpack(mine))
              end
              n = n + #mine
            end
            return n""";

    @Param({"1", "10", "100", "1000", "10000"})
    public int rows;

    private RedissonClient client;
    private RedisClaimStore store;
    private RScript script;
    private List<Row> claimRows;
    private List<org.conflictguard.Mark> sharedMarks;
    private Object[] ids;
    private Object[] opAndIds;
    private String bareClaim;
    private String bareRelease;
    private String ownerClaim;
    private String ownerRelease;
    private int operation;

    @Setup(Level.Trial)
    public void setUp() {
        Config config = new Config();
        config.useSingleServer().setAddress(System.getProperty("redis", "redis://127.0.0.1:6379"));
        client = Redisson.create(config);
        store = RedisClaimStore.create(client, "bench");
        script = client.getScript(StringCodec.INSTANCE);
        claimRows = List.copyOf(new java.util.TreeSet<>(IntStream.range(0, rows).mapToObj(i -> Row.of("Task", i)).toList()));
        sharedMarks = claimRows.stream().map(r -> new org.conflictguard.Mark(r, org.conflictguard.Scope.ROW)).toList();
        ids = IntStream.range(0, rows).mapToObj(Integer::toString).toArray();
        List<Object> withOp = new ArrayList<>();
        withOp.add("op");
        withOp.addAll(List.of(ids));
        opAndIds = withOp.toArray();
        bareClaim = script.scriptLoad(BARE_CLAIM);
        bareRelease = script.scriptLoad(BARE_RELEASE);
        ownerClaim = script.scriptLoad(OWNER_CLAIM);
        ownerRelease = script.scriptLoad(OWNER_RELEASE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.getKeys().deleteByPattern("{bench}*");
        client.shutdown();
    }

    @Benchmark
    public int conflictGuardStore() {
        String op = "op-" + operation++;
        ClaimOutcome outcome = store.claim(new ClaimSpec(op, "bench", null, claimRows, java.time.Duration.ofSeconds(30)));
        return store.release(op, outcome.token());
    }

    /** The same cycle as a shared claim (the rows are free: the first shared claim of each). */
    @Benchmark
    public int conflictGuardStoreShared() {
        String op = "op-" + operation++;
        ClaimOutcome outcome = store.claim(new ClaimSpec(op, "bench", null, sharedMarks, List.of(),
                java.time.Duration.ofSeconds(30), org.conflictguard.ClaimMode.SHARED));
        return store.release(op, outcome.token());
    }

    @Benchmark
    public Object sketchBareSet() {
        script.evalSha(RScript.Mode.READ_WRITE, bareClaim, RScript.ReturnType.LONG, List.of("{bench}:bare"), ids);
        return script.evalSha(RScript.Mode.READ_WRITE, bareRelease, RScript.ReturnType.LONG, List.of("{bench}:bare"),
                ids);
    }

    @Benchmark
    public Object sketchOwnerHash() {
        List<Object> keys = List.of("{bench}:locked", "{bench}:owner");
        script.evalSha(RScript.Mode.READ_WRITE, ownerClaim, RScript.ReturnType.LONG, keys, opAndIds);
        return script.evalSha(RScript.Mode.READ_WRITE, ownerRelease, RScript.ReturnType.LONG, keys, opAndIds);
    }

    /** One trivial command (EXISTS): the cost of any single round trip. */
    @Benchmark
    public long oneRoundTrip() {
        return client.getKeys().countExists("{bench}:nothing");
    }
}
