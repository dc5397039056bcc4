package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.conflictguard.Claim;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Holder;
import org.conflictguard.support.HolderProcess;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A holder JVM stopped with SIGSTOP past its lease: another operation claims its rows; when the
 * holder continues (SIGCONT), its writes are refused by the entity listener (fencing), its
 * renewal fails, and its release removes nothing of the new owner's.
 */
class PausedHolderTest {

    private static final long LEASE_MS = 1500;

    @Test
    void onRedis() throws Exception {
        HolderScenarios.onRedis(HolderScenarios.withHolder(List.of(), LEASE_MS, PausedHolderTest::scenario));
    }

    @Test
    void onPostgresql() throws Exception {
        HolderScenarios.onDatabase(TestDatabase.Kind.POSTGRESQL,
                HolderScenarios.withHolder(List.of(), LEASE_MS, PausedHolderTest::scenario));
    }

    @Test
    void onMariadb() throws Exception {
        HolderScenarios.onDatabase(TestDatabase.Kind.MARIADB,
                HolderScenarios.withHolder(List.of(), LEASE_MS, PausedHolderTest::scenario));
    }

    private static void scenario(ConflictGuard guard, HolderProcess holder) throws Exception {
        assertThat(holder.ask("WRITE")).isEqualTo("WROTE");

        holder.pause();
        await("the paused holder's lease lapses").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> guard.inspect(List.of(HolderMain.ROOT)).isEmpty());
        try (Claim thief = guard.claim(HolderMain.ROWS).orElseThrow()) {
            holder.resume();

            assertThat(holder.ask("WRITE")).isEqualTo("REFUSED true");
            assertThat(holder.ask("RENEW")).isEqualTo("RENEWED false");
            assertThat(holder.ask("HELD")).isEqualTo("HELD false");
            assertThat(holder.ask("RELEASE")).as("its one subtree mark was lost").isEqualTo("RELEASED 0 1");
            assertThat(thief.isHeld()).isTrue();
            assertThat(guard.inspect(HolderMain.ROWS).values()).hasSize(HolderMain.ROWS.size())
                    .extracting(c -> c.holder().operationId()).containsOnly(thief.operationId());
        }
        assertThat(guard.inspect(HolderMain.ROWS)).isEmpty();
    }
}
