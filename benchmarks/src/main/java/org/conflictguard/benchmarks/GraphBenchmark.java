package org.conflictguard.benchmarks;

import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
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
 * Expanding Project 1 to its dependents: 100 milestones and 10,000 tasks. Time per expansion,
 * and (printed per iteration) the SQL statements Hibernate prepared for one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GraphBenchmark {

    @Param({"postgresql"})
    public String db;

    private Databases database;
    private EntityManagerFactory unit;
    private ConflictGuard guard;
    private Statistics statistics;
    private long expansions;

    @Setup(Level.Trial)
    public void setUp() {
        database = Databases.fresh(db).withStoreTables();
        unit = database.unit("bench-plain", Map.of("jakarta.persistence.schema-generation.database.action", "create",
                "hibernate.generate_statistics", "true", "hibernate.jdbc.batch_size", "100"));
        Databases.seedTree(unit, 100, 100);
        EntityManagerFactory storeUnit = database.unit("bench-store", Map.of());
        guard = ConflictGuard.builder().entityManagerFactory(storeUnit).dependencies(unit).build();
        statistics = unit.unwrap(SessionFactory.class).getStatistics();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        guard.close();
        unit.close();
        database.drop();
    }

    @Setup(Level.Iteration)
    public void resetCounts() {
        statistics.clear();
        expansions = 0;
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.printf("  [%.1f statements per expansion]%n",
                statistics.getPrepareStatementCount() / (double) expansions);
    }

    @Benchmark
    public int expandProjectTree() {
        List<Row> rows = guard.expand(List.of(Row.of("Project", 1L)));
        expansions++;
        if (rows.size() != 1 + 100 + 10_000) {
            throw new IllegalStateException("expanded to " + rows.size() + " rows");
        }
        return rows.size();
    }
}
