package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Faults of the database store on a real database. Subclassed per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseFaultsTest {

    protected TestDatabase db;
    protected ConflictGuard guard;

    protected abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() {
        db = TestDatabase.create(kind());
        guard = ConflictGuard.builder().store(JpaClaimStore.create(db.emf(), "faults"))
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
    }

    @AfterAll
    void stop() {
        if (guard != null) {
            guard.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void claimsOverTheSameRowsInOppositeOrdersNeverDeadlockTowardsTheCaller() throws Exception {
        List<Row> ascending = IntStream.range(0, 30).mapToObj(i -> Row.of("Task", String.format("%03d", i))).toList();
        List<Row> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<Row> order = t % 2 == 0 ? ascending : descending;
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 150; i++) {
                        // Overlapping halves, listed in opposite orders.
                        List<Row> rows = i % 2 == 0 ? order.subList(0, 20) : order.subList(10, 30);
                        ClaimResult result = guard.claim(ClaimRequest.builder().rows(rows).build());
                        if (result.isClaimed()) {
                            granted.incrementAndGet();
                            result.claim().release();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.err.printf("[conflictguard-tests] opposite orders on %s: %d granted, %d refused, no errors%n", kind(),
                granted.get(), refused.get());
        assertThat(granted.get() + refused.get()).isEqualTo(600);
        assertThat(granted.get()).isPositive();
        assertThat(guard.inspect(ascending)).isEmpty();
    }
}
