package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a large claim has {@code cg_object_lock} analyzed soon after it is granted, so
 * that the claims after it are planned with statistics that know of its marks, not a minute
 * later when autovacuum comes by (autovacuum is off for this test's table: only the store can
 * analyze it); smaller claims start no analysis, and a store starts at most one per interval.
 */
class PostgresStatisticsTest {

    private static final String ROWS_IN_STATISTICS = "SELECT CAST(reltuples AS BIGINT) FROM pg_class c JOIN pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ?";

    private TestDatabase db;
    private JpaClaimStore store;
    private final String namespace = "stats" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void start() {
        db = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        db.execute("ALTER TABLE cg_object_lock SET (autovacuum_enabled = false)");
        db.execute("ANALYZE cg_object_lock");
        store = JpaClaimStore.create(db.emf(), namespace);
    }

    @AfterEach
    void stop() {
        store.close();
        db.dropClaims(namespace);
        db.close();
    }

    @Test
    void aLargeClaimHasTheTableAnalyzedSoonAfterItIsGranted() {
        assertThat(db.count(ROWS_IN_STATISTICS, "cg_object_lock")).as("rows the statistics know of").isLessThan(1);
        List<Row> rows = List.copyOf(new TreeSet<>(IntStream.range(0, 20_000).mapToObj(i -> Row.of("Task", i)).toList()));
        assertThat(store.claim(new ClaimSpec("bulk", "bulk", null, rows, Duration.ofMinutes(10))).isGranted()).isTrue();

        await("the statistics know of the claim's 20,000 marks").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> db.count(ROWS_IN_STATISTICS, "cg_object_lock") >= 20_000);
    }

    @Test
    void onlyClaimsOfAtLeastTheThresholdAnalyzeAndAtMostOnceInTheInterval() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        PostgresStatistics statistics = new PostgresStatistics(() -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        statistics.granted(PostgresStatistics.ROWS - 1);
        statistics.granted(PostgresStatistics.ROWS);
        assertThat(started.await(10, TimeUnit.SECONDS)).as("an analysis started").isTrue();
        statistics.granted(PostgresStatistics.ROWS * 10); // one is running
        release.countDown();
        await("the analysis ended").atMost(Duration.ofSeconds(10)).until(() -> !statistics.running());
        statistics.granted(PostgresStatistics.ROWS * 10); // within the interval
        statistics.close();
        assertThat(runs).as("analyses").hasValue(1);
    }
}
