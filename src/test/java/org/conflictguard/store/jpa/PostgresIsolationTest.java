package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The PostgreSQL store on a persistence unit whose transactions run at REPEATABLE READ (a server,
 * database or role default, or the provider's isolation setting): the store's own transactions
 * still run at READ COMMITTED, which its multi-statement claims rely on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresIsolationTest {

    private static final String REPEATABLE_READ =
            "options=-c%20default_transaction_isolation%3Drepeatable%5C%20read";

    private TestDatabase db;
    private EntityManagerFactory unit;

    @BeforeAll
    void start() {
        db = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        unit = db.newUnit("conflictguard-test", REPEATABLE_READ);
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /**
     * Subtree claims of one project and row claims of its tasks, from eight threads: a claim in a
     * hierarchy waits for the namespace's lock and must then see what the claim before it
     * committed. At REPEATABLE READ its snapshot would be older than the lock, and a task's claim
     * would pass beside the project's (without the store's own READ COMMITTED, 92 of 658 grants
     * did).
     */
    @Test
    void aSubtreeClaimAndAClaimBelowItNeverHoldTogether() throws Exception {
        String namespace = "isolation" + Long.toHexString(System.nanoTime());
        JpaClaimStore store = JpaClaimStore.create(unit, namespace);
        Row project = Row.of("Project", 1);
        AtomicInteger subtree = new AtomicInteger();
        AtomicInteger below = new AtomicInteger();
        AtomicInteger together = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 150; i++) {
                        boolean whole = ThreadLocalRandom.current().nextInt(4) == 0;
                        String operation = "op-" + thread + "-" + i;
                        ClaimSpec spec = whole
                                ? new ClaimSpec(operation, null, null, List.of(new Mark(project, Scope.SUBTREE)),
                                        List.of(), Duration.ofSeconds(30))
                                : new ClaimSpec(operation, null, null, List.of(new Mark(Row.of("Task",
                                        ThreadLocalRandom.current().nextInt(1, 6)), Scope.ROW)), List.of(project),
                                        Duration.ofSeconds(30));
                        ClaimOutcome outcome = store.claim(spec);
                        if (!outcome.isGranted()) {
                            continue;
                        }
                        granted.incrementAndGet();
                        int mine = (whole ? subtree : below).incrementAndGet();
                        int theirs = (whole ? below : subtree).get();
                        if (theirs > 0 || (whole && mine > 1)) {
                            together.incrementAndGet();
                        }
                        // The operation's work.
                        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                        (whole ? subtree : below).decrementAndGet();
                        store.release(operation, outcome.token());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            store.close();
            db.dropClaims(namespace);
        }
        System.out.printf("[conflictguard-tests] Hierarchy at REPEATABLE READ on PostgreSQL: %d claims granted, %d"
                + " beside a conflicting holder%n", granted.get(), together.get());
        assertThat(granted.get()).isPositive();
        assertThat(together).as("grants beside a conflicting holder").hasValue(0);
    }
}
