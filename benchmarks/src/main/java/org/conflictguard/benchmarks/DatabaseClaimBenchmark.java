package org.conflictguard.benchmarks;

import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.store.jpa.JpaClaimStore;
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
 * One claim + release cycle of N rows in the database store, side by side, on the same table and
 * connection settings, with: the one-statement floor (PostgreSQL and H2: one
 * {@code INSERT ... SELECT ... FROM unnest(?)}, MariaDB: one batched multi-row insert; one
 * {@code DELETE} of the operation's rows to release; one transaction each), one transaction
 * per row (what a per-name lock provider does), and {@code SELECT ... FOR UPDATE} of N rows
 * (a pessimistic lock, held only for one transaction).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DatabaseClaimBenchmark {

    @Param({"postgresql"})
    public String db;

    @Param({"1", "10", "100", "1000", "10000"})
    public int rows;

    /**
     * Rows of the same namespace held by another claim for the whole trial (ids apart from the
     * claimed ones): what a claim costs when the table is not empty.
     */
    @Param({"0"})
    public int held;

    /**
     * The isolation level of the store's unit: the database's default, or READ COMMITTED set on
     * the unit's connections ({@code hibernate.connection.isolation}), as the README recommends
     * on MariaDB.
     */
    @Param({"default"})
    public String isolation;

    /** The connection pool of the store's unit (see {@link Databases#pool}). */
    @Param({"builtin"})
    public String pool;

    private Databases database;
    private EntityManagerFactory emf;
    private JpaClaimStore store;
    private Connection connection;
    private List<Row> claimRows;
    private List<org.conflictguard.Mark> sharedMarks;
    private String[] ids;
    private int operation;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        database = Databases.fresh(db).withStoreTables();
        Map<String, String> unit = new java.util.HashMap<>(Databases.isolation(isolation));
        unit.putAll(Databases.pool(pool));
        emf = database.unit("bench-store", unit);
        store = JpaClaimStore.create(emf, "bench");
        if (held > 0) {
            List<Row> others = IntStream.range(0, held).mapToObj(i -> Row.of("Task", 1_000_000 + i)).sorted().toList();
            if (!store.claim(new ClaimSpec("held", "bench", null, others, Duration.ofHours(1))).isGranted()) {
                throw new IllegalStateException("the " + held + " held rows were not granted");
            }
        }
        claimRows = List.copyOf(new java.util.TreeSet<>(IntStream.range(0, rows).mapToObj(i -> Row.of("Task", i)).toList()));
        sharedMarks = claimRows.stream().map(r -> new org.conflictguard.Mark(r, org.conflictguard.Scope.ROW)).toList();
        ids = IntStream.range(0, rows).mapToObj(Integer::toString).toArray(String[]::new);
        connection = database.connect();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE bench_rows (id BIGINT PRIMARY KEY, v INT)");
            s.execute("INSERT INTO bench_rows (id, v) " + switch (db) {
                case "postgresql" -> "SELECT g, 0 FROM generate_series(0, 9999) g";
                case "h2" -> "SELECT X, 0 FROM SYSTEM_RANGE(0, 9999)";
                default -> "SELECT seq, 0 FROM seq_0_to_9999";
            });
        }
        connection.commit();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
        store.close(); // before the unit: its notifier holds a connection of the unit's pool
        emf.close();
        database.drop();
    }

    @Benchmark
    public int conflictGuardStore() {
        String op = "op-" + operation++;
        ClaimOutcome outcome = store.claim(new ClaimSpec(op, "bench", null, claimRows, Duration.ofSeconds(30)));
        return store.release(op, outcome.token());
    }

    /** The same cycle as a shared claim (the rows are free: the first shared claim of each). */
    @Benchmark
    public int conflictGuardStoreShared() {
        String op = "op-" + operation++;
        ClaimOutcome outcome = store.claim(new ClaimSpec(op, "bench", null, sharedMarks, List.of(),
                Duration.ofSeconds(30), org.conflictguard.ClaimMode.SHARED));
        return store.release(op, outcome.token());
    }

    /**
     * One statement to claim, one to release (by the operation, as the store does), one
     * transaction each: the floor.
     */
    @Benchmark
    public int oneStatementFloor() throws SQLException {
        String op = "floor-" + operation++;
        int claimed;
        if (db.equals("mariadb")) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cg_object_lock (namespace,"
                    + " model_name, object_id, operation_id, label, user_name, token, created_at, lease_until, scope,"
                    + " claim_mode) VALUES ('floor', 'Task', ?, ?, 'bench', '', 1, 0, 0, 'R', 'X')")) {
                for (String id : ids) {
                    insert.setString(1, id);
                    insert.setString(2, op);
                    insert.addBatch();
                }
                claimed = insert.executeBatch().length;
            }
        } else {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cg_object_lock (namespace,"
                    + " model_name, object_id, operation_id, label, user_name, token, created_at, lease_until, scope,"
                    + " claim_mode) SELECT 'floor', 'Task', x, ?, 'bench', '', 1, 0, 0, 'R', 'X' FROM unnest(?) AS u(x)")) {
                insert.setString(1, op);
                insert.setArray(2, connection.createArrayOf("varchar", ids));
                claimed = insert.executeUpdate();
            }
        }
        connection.commit();
        int released;
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM cg_object_lock WHERE namespace = 'floor' AND operation_id = ?")) {
            delete.setString(1, op);
            released = delete.executeUpdate();
        }
        connection.commit();
        return claimed + released;
    }

    /** Each row inserted in its own transaction, and deleted in its own. */
    @Benchmark
    public int transactionPerRow() throws SQLException {
        int n = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cg_object_lock (namespace,"
                + " model_name, object_id, operation_id, label, user_name, token, created_at, lease_until, scope,"
                + " claim_mode) VALUES ('per-row', 'Task', ?, 'op', 'bench', '', 1, 0, 0, 'R', 'X')");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM cg_object_lock WHERE namespace"
                        + " = 'per-row' AND model_name = 'Task' AND object_id = ?")) {
            for (String id : ids) {
                insert.setString(1, id);
                n += insert.executeUpdate();
                connection.commit();
            }
            for (String id : ids) {
                delete.setString(1, id);
                n += delete.executeUpdate();
                connection.commit();
            }
        }
        return n;
    }

    /** SELECT ... FOR UPDATE of the N rows, then commit: held only for a transaction. */
    @Benchmark
    public int selectForUpdate() throws SQLException {
        int n = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM bench_rows WHERE id >= 0 AND id < ? FOR UPDATE")) {
            select.setLong(1, rows);
            try (var result = select.executeQuery()) {
                while (result.next()) {
                    n++;
                }
            }
        }
        connection.commit();
        return n;
    }
}
