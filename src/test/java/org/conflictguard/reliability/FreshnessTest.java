package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How fresh one node's write checks are about claims another node was just granted: a writer
 * node updates random tasks in small transactions from four threads while a claimer node (its
 * own store client, its own view, no graph and no listener) claims ten of those tasks, holds
 * them a moment and releases them, a hundred times. For every claim it counts the writes to its
 * rows that began after the grant and ended before the release, and committed anyway: what slips
 * through while the grant travels to the writer node. Prints the count per claim and the latest
 * such write after its grant; asserts the store's bound. Subclassed per store.
 */
abstract class FreshnessTest {

    private static final int TASKS = 40;
    private static final int CLAIMED = 10;
    private static final int CLAIMS = 100;
    private static final int WRITERS = 4;

    private TwoNodes nodes;

    /** A store for one node, in this namespace. */
    protected abstract ClaimStore newStore(String namespace);

    /** Stops what {@link #newStore} started; called after both nodes closed. */
    protected abstract void closeStores();

    /** How late after its grant a write may begin and still pass, on this store, on a loaded machine. */
    protected abstract Duration bound();

    @BeforeEach
    void start() {
        nodes = new TwoNodes(TASKS, this::newStore, this::closeStores);
    }

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private record Held(List<Long> tasks, long granted, long released) {
    }

    @Test
    void writesThatBeginAfterAnotherNodesGrantAreRefusedOnceItArrives() throws Exception {
        // The rows claimed now, and a latch the first refused write to them counts down.
        AtomicReference<Set<Long>> claimed = new AtomicReference<>(Set.of());
        AtomicReference<CountDownLatch> refused = new AtomicReference<>(new CountDownLatch(1));
        nodes.startWriters(WRITERS, task -> {
            if (claimed.get().contains(task)) {
                refused.get().countDown();
            }
        });
        Random random = new Random(42);
        List<Held> held = new ArrayList<>();
        for (int c = 0; c < CLAIMS; c++) {
            List<Long> all = new ArrayList<>(LongStream.rangeClosed(1, TASKS).boxed().toList());
            Collections.shuffle(all, random);
            List<Long> tasks = List.copyOf(all.subList(0, CLAIMED));
            CountDownLatch firstRefusal = new CountDownLatch(1);
            refused.set(firstRefusal);
            Claim claim = nodes.claimerNode.claim(ClaimRequest.builder()
                    .rows(tasks.stream().map(t -> Row.of("Task", t)).toList()).dependents(false).build())
                    .orElseThrow();
            long granted = System.nanoTime();
            claimed.set(Set.copyOf(tasks));
            // Held until a write to its rows was refused, so that every claim meets writers.
            assertThat(firstRefusal.await(20, TimeUnit.SECONDS)).as("claim %d: a write to its rows is refused", c)
                    .isTrue();
            claimed.set(Set.of());
            long released = System.nanoTime();
            claim.release();
            held.add(new Held(tasks, granted, released));
        }
        List<TwoNodes.Write> writes = nodes.stopWriters();

        int[] slipped = new int[CLAIMS];
        long latest = 0;
        for (TwoNodes.Write write : writes) {
            for (int c = 0; c < CLAIMS; c++) {
                Held h = held.get(c);
                if (write.committed() && h.tasks().contains(write.task()) && write.began() > h.granted()
                        && write.ended() < h.released()) {
                    slipped[c]++;
                    latest = Math.max(latest, write.began() - h.granted());
                }
            }
        }
        int total = 0;
        int worst = 0;
        for (int n : slipped) {
            total += n;
            worst = Math.max(worst, n);
        }
        long committed = writes.stream().filter(TwoNodes.Write::committed).count();
        System.err.printf("freshness %s: %d claims of %d rows, %d writes committed in all; writes committed to"
                + " claimed rows after the grant: %d (%.2f per claim, at most %d), the latest began %.3f ms after"
                + " its grant%n", getClass().getSimpleName(), CLAIMS, CLAIMED, committed, total,
                total / (double) CLAIMS, worst, latest / 1e6);
        assertThat(committed).as("writes committed in all").isGreaterThan(CLAIMS);
        assertThat(Duration.ofNanos(latest)).as("the latest write that passed after its row's grant, after it")
                .isLessThan(bound());
    }
}
