package org.conflictguard.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What replica confirmation costs: claim + release of N rows on a primary with one replica on
 * loopback (both started by the trial, {@code redis-server} from the PATH), without confirmation
 * and with one replica confirming each write ({@code WAIT} in the same round trip), beside one
 * trivial command as the cost of a round trip. Two writes per cycle, so "at most one extra round
 * trip" per write means (confirmed - unconfirmed) / 2 at most one round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisReplicaSyncBenchmark {

    @Param({"10"})
    public int rows;

    private Process primary;
    private Process replica;
    private RedissonClient client;
    private RedisClaimStore unconfirmed;
    private RedisClaimStore confirmed;
    private List<Row> claimRows;
    private int operation;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int primaryPort = freePort();
        int replicaPort = freePort();
        primary = server(primaryPort);
        replica = server(replicaPort, "--replicaof", "127.0.0.1", Integer.toString(primaryPort));
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + primaryPort);
        client = Redisson.create(config);
        unconfirmed = RedisClaimStore.create(client, "bench-unconfirmed");
        // Each try waits up to a second for the replica (WAIT) while it makes its first sync.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (confirmed == null) {
            try {
                confirmed = RedisClaimStore.create(client, "bench-confirmed", 1, Duration.ofSeconds(1));
            } catch (org.conflictguard.ConfigurationException notInSyncYet) {
                if (System.nanoTime() > until) {
                    throw notInSyncYet;
                }
            }
        }
        claimRows = IntStream.range(0, rows).mapToObj(i -> Row.of("Task", i)).toList();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.shutdown();
        replica.destroyForcibly();
        primary.destroyForcibly();
    }

    @Benchmark
    public int withoutConfirmation() {
        return cycle(unconfirmed);
    }

    @Benchmark
    public int confirmedByOneReplica() {
        return cycle(confirmed);
    }

    /** One trivial command (EXISTS): the cost of any single round trip. */
    @Benchmark
    public long oneRoundTrip() {
        return client.getKeys().countExists("{bench}:nothing");
    }

    private int cycle(RedisClaimStore store) {
        String op = "op-" + operation++;
        ClaimOutcome outcome = store.claim(new ClaimSpec(op, "bench", null, claimRows, Duration.ofSeconds(30)));
        return store.release(op, outcome.token());
    }

    /** Starts a redis-server and returns once it logs that it accepts connections. */
    private static Process server(int port, String... more) throws IOException {
        Path dir = Files.createTempDirectory("bench-redis-" + port);
        List<String> command = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.io.BufferedReader log = new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            if (line.contains("Ready to accept connections")) {
                // Keep draining its output so that the server never blocks on a full pipe.
                Thread drain = new Thread(() -> log.lines().forEach(ignored -> { }), "redis-" + port + "-log");
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " exited before accepting connections");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
