package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.conflictguard.Claim;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Holder;
import org.conflictguard.SweepSummary;
import org.conflictguard.support.HolderProcess;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A holder JVM killed with SIGKILL: its rows stay claimed until its lease lapses (by the
 * store's clock), then another operation can claim them and a sweep leaves nothing behind.
 * H2 in memory is one process by nature and is not part of this test.
 */
class KilledHolderTest {

    private static final long LEASE_MS = 2000;

    @Test
    void onRedis() throws Exception {
        HolderScenarios.onRedis(HolderScenarios.withHolder(List.of(), LEASE_MS, KilledHolderTest::scenario));
    }

    @Test
    void onPostgresql() throws Exception {
        HolderScenarios.onDatabase(TestDatabase.Kind.POSTGRESQL,
                HolderScenarios.withHolder(List.of(), LEASE_MS, KilledHolderTest::scenario));
    }

    @Test
    void onMariadb() throws Exception {
        HolderScenarios.onDatabase(TestDatabase.Kind.MARIADB,
                HolderScenarios.withHolder(List.of(), LEASE_MS, KilledHolderTest::scenario));
    }

    private static void scenario(ConflictGuard guard, HolderProcess holder) throws Exception {
        // The holder claims Project 1 with its subtree: one mark (this guard knows no tree, so it asks about the root).
        assertThat(guard.inspect(List.of(HolderMain.ROOT)).values()).singleElement()
                .satisfies(c -> assertThat(c.holder().label()).isEqualTo("other-process"))
                .satisfies(c -> assertThat(c.scope()).isEqualTo(org.conflictguard.Scope.SUBTREE));
        assertThat(guard.claim(HolderMain.ROWS).isClaimed()).as("claimable while the holder lives").isFalse();

        holder.kill();
        long killed = System.nanoTime();

        await("rows free after the dead holder's lease").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> guard.inspect(List.of(HolderMain.ROOT)).isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofMillis(LEASE_MS + 10_000));
        assertThat(guard.sweep().rows()).as("the one subtree mark").isEqualTo(1);
        try (Claim next = guard.claim(HolderMain.ROWS).orElseThrow()) {
            assertThat(next.rows()).hasSize(HolderMain.ROWS.size());
        }
        assertThat(guard.sweep()).isEqualTo(new SweepSummary(0, 0));
    }
}
