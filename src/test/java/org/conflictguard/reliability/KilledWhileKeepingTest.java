package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.conflictguard.Claim;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConflictGuard;
import org.conflictguard.RowClaim;
import org.conflictguard.support.HolderProcess;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A holder releases its claim keeping the rows for a while ({@code releaseKeeping}) and its JVM is
 * then killed with SIGKILL: the rows stay claimed until the end of the keep period by the store's
 * clock (well after its own short lease would have lapsed), and are free from then on, with no
 * process left to release them.
 */
class KilledWhileKeepingTest {

    /** The holder's own lease, renewed in the background while it lives. */
    private static final long LEASE_MS = 300;
    private static final long KEEP_MS = 2500;

    @Test
    void onRedis() throws Exception {
        HolderScenarios.onRedis(HolderScenarios.withHolder(List.of(), LEASE_MS, KilledWhileKeepingTest::scenario));
    }

    @Test
    void onPostgresql() throws Exception {
        HolderScenarios.onDatabase(TestDatabase.Kind.POSTGRESQL,
                HolderScenarios.withHolder(List.of(), LEASE_MS, KilledWhileKeepingTest::scenario));
    }

    @Test
    void onMariadb() throws Exception {
        HolderScenarios.onDatabase(TestDatabase.Kind.MARIADB,
                HolderScenarios.withHolder(List.of(), LEASE_MS, KilledWhileKeepingTest::scenario));
    }

    private static void scenario(ConflictGuard guard, HolderProcess holder) throws Exception {
        String kept = holder.ask("KEEP " + KEEP_MS);
        assertThat(kept).startsWith("KEPT ").doesNotContain("LOST");
        Instant keptUntil = Instant.ofEpochMilli(Long.parseLong(kept.substring(5)));
        holder.kill();

        RowClaim held = guard.inspect(List.of(HolderMain.ROOT)).get(HolderMain.ROOT);
        assertThat(held).as("held after the holder died").isNotNull();
        assertThat(held.holder().leaseUntil()).isEqualTo(keptUntil);
        assertThat(Duration.between(held.holder().since(), keptUntil))
                .as("kept beyond the holder's own lease").isGreaterThan(Duration.ofMillis(LEASE_MS * 3));

        AtomicReference<Claim> next = new AtomicReference<>();
        await("rows free at the end of the keep period").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    ClaimResult result = guard.claim(HolderMain.ROWS);
                    next.set(result.isClaimed() ? result.claim() : null);
                    return result.isClaimed();
                });
        try (Claim claim = next.get()) {
            assertThat(claim.since()).as("granted no earlier than the end of the keep period, by the store's clock")
                    .isAfterOrEqualTo(keptUntil);
        }
    }
}
