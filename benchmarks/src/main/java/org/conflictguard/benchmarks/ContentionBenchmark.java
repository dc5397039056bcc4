package org.conflictguard.benchmarks;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Threads (JMH {@code -t 2}, {@code -t 8}) claiming random 10-row sets out of 10,000 rows with
 * the full store, releasing what they got: claim attempts per second, split into granted claims
 * and conflicts. An invariant checker counts, for every row, the threads that believe they hold
 * it; a count above one, or any row still claimed at the end, fails the trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ContentionBenchmark {

    static final int UNIVERSE = 10_000;
    static final int SET = 10;

    /**
     * The full store on Redis, PostgreSQL or MariaDB (with {@code -rc}: on a unit whose connections
     * run at READ COMMITTED; {@code -rc-manual}: and come from HikariCP with autocommit off, see
     * {@link Databases#pool}), or the simplest sketch with ownership on each (a user's alternative).
     */
    @Param({"redis", "redis-sketch", "postgresql", "postgresql-sketch", "mariadb", "mariadb-sketch"})
    public String store;

    private RedissonClient client;
    private Databases database;
    private EntityManagerFactory emf;
    private ClaimStore claims;
    private Sketch sketch;
    private final AtomicIntegerArray holders = new AtomicIntegerArray(UNIVERSE);
    private final AtomicLong doubleHolders = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();

    /** Per-thread tallies, reported by JMH next to the attempt rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tally {
        public long granted;
        public long conflicts;
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (store.startsWith("redis")) {
            Config config = new Config();
            config.useSingleServer().setAddress(System.getProperty("redis", "redis://127.0.0.1:6379"))
                    .setConnectionPoolSize(64);
            client = Redisson.create(config);
            claims = RedisClaimStore.create(client, "bench-contention");
            if (store.endsWith("-sketch")) {
                sketch = new RedisSketch(client);
            }
        } else {
            String db = store.replace("-sketch", "").replace("-rc-manual", "").replace("-rc", "");
            boolean manual = store.endsWith("-rc-manual");
            database = Databases.fresh(db).withStoreTables();
            Map<String, String> unit = new java.util.HashMap<>(Databases.isolation(store.endsWith("-rc") || manual
                    ? "read-committed" : "default"));
            unit.put("hibernate.connection.pool_size", "16");
            if (manual) {
                unit.putAll(Databases.pool("hikari-manual"));
                unit.put("hibernate.hikari.maximumPoolSize", "16");
            }
            emf = database.unit("bench-store", unit);
            claims = JpaClaimStore.create(emf, "bench-contention");
            if (store.endsWith("-sketch")) {
                sketch = new SqlSketch(database, db.equals("mariadb"));
            }
        }
    }

    /** A user's alternative: all-or-none claim of ids with an owner, and release by owner. */
    interface Sketch {
        boolean claim(String op, int[] ids);

        void release(String op, int[] ids);

        int left();
    }

    /** Sketch (b) of {@link RedisClaimBenchmark}: a set of ids plus an id -> operation hash. */
    static final class RedisSketch implements Sketch {
        private final org.redisson.api.RScript script;
        private final String claimSha;
        private final String releaseSha;
        private final List<Object> keys = List.of("{bench-contention}:locked", "{bench-contention}:owner");
        private final RedissonClient client;

        RedisSketch(RedissonClient client) {
            this.client = client;
            script = client.getScript(org.redisson.client.codec.StringCodec.INSTANCE);
            claimSha = script.scriptLoad(RedisClaimBenchmark.OWNER_CLAIM);
            releaseSha = script.scriptLoad(RedisClaimBenchmark.OWNER_RELEASE);
        }

        private static Object[] args(String op, int[] ids) {
            Object[] args = new Object[ids.length + 1];
            args[0] = op;
            for (int i = 0; i < ids.length; i++) {
                args[i + 1] = Integer.toString(ids[i]);
            }
            return args;
        }

        @Override
        public boolean claim(String op, int[] ids) {
            Long ok = script.evalSha(org.redisson.api.RScript.Mode.READ_WRITE, claimSha,
                    org.redisson.api.RScript.ReturnType.LONG, keys, args(op, ids));
            return ok == 1L;
        }

        @Override
        public void release(String op, int[] ids) {
            script.evalSha(org.redisson.api.RScript.Mode.READ_WRITE, releaseSha,
                    org.redisson.api.RScript.ReturnType.LONG, keys, args(op, ids));
        }

        @Override
        public int left() {
            return client.getSet("{bench-contention}:locked").size();
        }
    }

    /**
     * One statement claims (insert, skipping taken ids; all or none by rollback), one releases.
     * PostgreSQL: {@code INSERT ... SELECT ... FROM unnest(?) ON CONFLICT DO NOTHING}; MariaDB:
     * {@code INSERT IGNORE ... VALUES} of the sorted ids, and a deadlock counts as a conflict.
     */
    static final class SqlSketch implements Sketch {
        private final ThreadLocal<java.sql.Connection> connections;
        private final List<java.sql.Connection> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Databases database;
        private final boolean mariadb;

        SqlSketch(Databases database, boolean mariadb) {
            this.database = database;
            this.mariadb = mariadb;
            connections = ThreadLocal.withInitial(() -> {
                try {
                    java.sql.Connection c = database.connect();
                    c.setAutoCommit(false);
                    if (mariadb) {
                        // No gap locks: at MariaDB's REPEATABLE READ nearly every release deadlocks with inserts.
                        c.setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_COMMITTED);
                    }
                    all.add(c);
                    return c;
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        private static String[] ids(int[] ids) {
            return java.util.Arrays.stream(ids).sorted().mapToObj(Integer::toString).toArray(String[]::new);
        }

        @Override
        public boolean claim(String op, int[] ids) {
            return mariadb ? claimMariaDb(op, ids) : claimPostgres(op, ids);
        }

        private boolean claimMariaDb(String op, int[] ids) {
            java.sql.Connection c = connections.get();
            String[] sorted = ids(ids);
            StringBuilder sql = new StringBuilder("INSERT IGNORE INTO cg_object_lock (namespace, model_name, object_id,"
                    + " operation_id, label, user_name, token, created_at, lease_until, scope, claim_mode) VALUES ");
            for (int i = 0; i < sorted.length; i++) {
                sql.append(i == 0 ? "" : ", ").append("('sketch', 'Task', ?, ?, '', '', 1, 0, 0, 'R', 'X')");
            }
            try (java.sql.PreparedStatement insert = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < sorted.length; i++) {
                    insert.setString(2 * i + 1, sorted[i]);
                    insert.setString(2 * i + 2, op);
                }
                if (insert.executeUpdate() == sorted.length) {
                    c.commit();
                    return true;
                }
                c.rollback();
                return false;
            } catch (java.sql.SQLException e) {
                try {
                    c.rollback();
                } catch (java.sql.SQLException ignored) {
                    // the connection reports the first failure
                }
                if ("40001".equals(e.getSQLState())) {
                    return false;
                }
                throw new IllegalStateException(e);
            }
        }

        private boolean claimPostgres(String op, int[] ids) {
            java.sql.Connection c = connections.get();
            try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO cg_object_lock (namespace,"
                    + " model_name, object_id, operation_id, label, user_name, token, created_at, lease_until, scope,"
                    + " claim_mode) SELECT 'sketch', 'Task', x, ?, '', '', 1, 0, 0, 'R', 'X' FROM unnest(?) AS u(x)"
                    + " ON CONFLICT DO NOTHING")) {
                insert.setString(1, op);
                insert.setArray(2, c.createArrayOf("varchar", ids(ids)));
                if (insert.executeUpdate() == ids.length) {
                    c.commit();
                    return true;
                }
                c.rollback();
                return false;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void release(String op, int[] ids) {
            java.sql.Connection c = connections.get();
            for (int attempt = 1; ; attempt++) {
                try (java.sql.PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM cg_object_lock WHERE namespace = 'sketch' AND operation_id = ?")) {
                    delete.setString(1, op);
                    delete.executeUpdate();
                    c.commit();
                    return;
                } catch (java.sql.SQLException e) {
                    try {
                        c.rollback();
                    } catch (java.sql.SQLException ignored) {
                        // the connection reports the first failure
                    }
                    if (!"40001".equals(e.getSQLState()) || attempt == 10) { // a deadlock: try again
                        throw new IllegalStateException("release, attempt " + attempt + ", SQL state " + e.getSQLState(), e);
                    }
                }
            }
        }

        @Override
        public int left() {
            try (java.sql.Connection c = database.connect(); java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet r = s.executeQuery("SELECT COUNT(*) FROM cg_object_lock")) {
                r.next();
                all.forEach(open -> {
                    try {
                        open.close();
                    } catch (java.sql.SQLException ignored) {
                        // closing at the end of the trial
                    }
                });
                return r.getInt(1);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            List<Row> all = IntStream.range(0, UNIVERSE).mapToObj(i -> Row.of("Task", i)).toList();
            int left = 0;
            for (int from = 0; from < UNIVERSE; from += 1000) {
                left += claims.marksOn(all.subList(from, from + 1000)).size();
            }
            if (sketch != null) {
                left += sketch.left();
            }
            if (doubleHolders.get() != 0 || left != 0) {
                throw new IllegalStateException("Invariant broken: " + doubleHolders.get()
                        + " rows seen with two holders, " + left + " rows left claimed");
            }
            System.out.println("\ninvariant held: no row had two holders, nothing left claimed");
        } finally {
            if (client != null) {
                client.getKeys().deleteByPattern("{bench-contention}*");
                client.shutdown();
            } else {
                claims.close(); // before the unit: its notifier holds a connection of the unit's pool
                emf.close();
                database.drop();
            }
        }
    }

    @Benchmark
    public boolean claimRandomTenRows(Tally tally) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Row> rows = new ArrayList<>(SET);
        int[] ids = random.ints(0, UNIVERSE).distinct().limit(SET).toArray();
        for (int id : ids) {
            rows.add(Row.of("Task", id));
        }
        String op = "op-" + operations.incrementAndGet();
        if (sketch != null) {
            if (!sketch.claim(op, ids)) {
                tally.conflicts++;
                return false;
            }
            tally.granted++;
            check(ids);
            sketch.release(op, ids);
            return true;
        }
        rows.sort(null); // a claim spec lists its rows sorted
        ClaimOutcome outcome = claims.claim(new ClaimSpec(op, "contention", null, rows, Duration.ofSeconds(30)));
        if (!outcome.isGranted()) {
            tally.conflicts++;
            return false;
        }
        tally.granted++;
        check(ids);
        claims.release(op, outcome.token());
        return true;
    }

    /** Counts rows this thread holds that another thread believes it holds too. */
    private void check(int[] ids) {
        for (int id : ids) {
            if (holders.incrementAndGet(id) != 1) {
                doubleHolders.incrementAndGet();
            }
        }
        for (int id : ids) {
            holders.decrementAndGet(id);
        }
    }
}
