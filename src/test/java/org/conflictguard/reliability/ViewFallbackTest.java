package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.Row;
import org.conflictguard.WriteChecksEvent;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.Switches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A writer node whose view loses the store's feed in the middle of a burst of writes, while
 * another node claims rows the writer keeps updating: no write that began after the claim was
 * granted commits while it is held, the writer's checks switch to the store (an event) and back
 * once the view was read again. Subclassed per store, each cutting the feed its own way.
 */
abstract class ViewFallbackTest {

    private static final int TASKS = 8;
    private static final int WRITERS = 4;
    /** How long a grant may take to reach the writer node's view on a loaded machine. */
    private static final long DELIVERY = TimeUnit.MILLISECONDS.toNanos(50);

    private TwoNodes nodes;

    /** A store for one node, in this namespace. */
    protected abstract ClaimStore newStore(String namespace);

    /** Cuts the writer node's feed of grants: what a lost connection does. */
    protected abstract void cutFeed() throws Exception;

    /** A harder cut, where the store offers one (a restart); by default the same cut. */
    protected void restartStore() throws Exception {
        cutFeed();
    }

    /** Stops what {@link #newStore} started; called after both nodes closed. */
    protected abstract void closeStores();

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

    @Test
    void aCutFeedNeverLetsAWriteToAClaimedRowPassAndTheViewComesBack() throws Exception {
        Switches switches = nodes.switches;
        // The rows claimed now, and the writes to them refused since the grant.
        AtomicReference<Set<Long>> claimed = new AtomicReference<>(Set.of());
        AtomicInteger refused = new AtomicInteger();
        nodes.startWriters(WRITERS, task -> {
            if (claimed.get().contains(task)) {
                refused.incrementAndGet();
            }
        });
        List<long[]> claims = new ArrayList<>();
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            int switchesBefore = switches.switches().size();
            if (round == rounds - 1) {
                restartStore();
            } else {
                cutFeed();
            }
            // The writer notices the cut (an event), and from then on asks the store.
            switches.awaitSwitchAfter(switchesBefore, WriteChecksEvent.Mode.STORE, Duration.ofSeconds(20));
            long first = 1 + round * 2L;
            List<Row> rows = List.of(Row.of("Task", first), Row.of("Task", first + 1));
            Claim claim = await("the claimer node claims").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> nodes.claimerNode.claim(ClaimRequest.builder().rows(rows).dependents(false)
                            .build()).orElseThrow(), c -> true);
            long granted = System.nanoTime();
            refused.set(0);
            claimed.set(Set.of(first, first + 1));
            await("writes to the claimed rows are refused").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(5)).until(() -> refused.get() >= 3);
            switches.awaitLocal(Duration.ofSeconds(20));
            claimed.set(Set.of());
            long released = System.nanoTime();
            claim.release();
            claims.add(new long[] {first, first + 1, granted, released});
            assertThat(switches.switches().subList(switchesBefore, switches.switches().size()))
                    .extracting(WriteChecksEvent::mode).as("round %d: the checks went to the store and came back", round)
                    .containsSubsequence(WriteChecksEvent.Mode.STORE, WriteChecksEvent.Mode.LOCAL);
        }
        List<TwoNodes.Write> writes = nodes.stopWriters();

        List<String> passed = new ArrayList<>();
        for (TwoNodes.Write write : writes) {
            for (long[] claim : claims) {
                boolean claimedRow = write.task() == claim[0] || write.task() == claim[1];
                // The whole write, check included, lay within the hold, and began after the grant could
                // reach the writer node (a push takes a moment; that window is measured by FreshnessTest).
                if (claimedRow && write.committed() && write.began() > claim[2] + DELIVERY
                        && write.ended() < claim[3]) {
                    passed.add(write + String.format(" began %.3f ms and ended %.3f ms after the grant, %.3f ms"
                            + " before the release", (write.began() - claim[2]) / 1e6,
                            (write.ended() - claim[2]) / 1e6, (claim[3] - write.ended()) / 1e6));
                }
            }
        }
        assertThat(passed).as("writes that began while another node held their row, and committed").isEmpty();
        assertThat(writes.stream().filter(TwoNodes.Write::committed).count()).as("writes committed in all")
                .isGreaterThan(20);
    }
}
