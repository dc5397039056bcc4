package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.conflictguard.Claim;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.TestRedis;
import org.junit.jupiter.api.Test;

/**
 * A holder JVM killed with SIGKILL: its rows stay claimed until its lease lapses (by the
 * store's clock), then another operation can claim them and a sweep leaves nothing behind.
 * H2 in memory is one process by nature and is not part of this test.
 */
class KilledHolderTest {

    private static final int ROWS = 50;
    private static final long LEASE_MS = 2000;

    @Test
    void onRedis() throws Exception {
        String namespace = "killed" + Long.toHexString(System.nanoTime());
        scenario(RedisClaimStore.create(TestRedis.client(), namespace),
                List.of("redis", TestRedis.address(), namespace));
        TestRedis.client().getKeys().deleteByPattern("{" + namespace + "}:*");
    }

    @Test
    void onPostgresql() throws Exception {
        onDatabase(TestDatabase.Kind.POSTGRESQL);
    }

    @Test
    void onMariadb() throws Exception {
        onDatabase(TestDatabase.Kind.MARIADB);
    }

    private void onDatabase(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            List<String> args = new ArrayList<>(List.of("jdbc"));
            args.addAll(db.connection());
            args.add("killed");
            scenario(JpaClaimStore.create(db.emf(), "killed"), args);
        }
    }

    private void scenario(ClaimStore store, List<String> holderArgs) throws Exception {
        List<Row> rows = IntStream.range(0, ROWS).mapToObj(i -> Row.of("Task", i)).toList();
        List<String> command = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), HolderMain.class.getName()));
        command.addAll(holderArgs);
        command.add(Long.toString(LEASE_MS));
        command.add(Integer.toString(ROWS));
        Process holder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (ConflictGuard guard = ConflictGuard.builder().store(store).setting(ConfigKeys.SWEEP_INTERVAL, "off")
                .build()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("CLAIMED ")) {
                line = out.readLine(); // the provider's own banner, if it prints one
            }
            assertThat(line).as("the holder's report").startsWith("CLAIMED ");
            assertThat(guard.inspect(rows).values()).hasSize(ROWS).extracting(Holder::label).containsOnly("killed-holder");
            assertThat(guard.claim(rows).isClaimed()).as("claimable while the holder lives").isFalse();

            holder.destroyForcibly().waitFor();
            long killed = System.nanoTime();

            await("rows free after the dead holder's lease").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> guard.inspect(rows).isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofMillis(LEASE_MS + 10_000));
            SweepSummary swept = guard.sweep();
            assertThat(swept.rows()).isEqualTo(ROWS);
            try (Claim next = guard.claim(rows).orElseThrow()) {
                assertThat(next.rows()).hasSize(ROWS);
            }
            assertThat(guard.sweep()).isEqualTo(new SweepSummary(0, 0));
        } finally {
            holder.destroyForcibly();
        }
    }
}
