package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.StoreException;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** Database store faults on PostgreSQL, including a connection killed by the server mid-claim. */
class PostgresFaultsTest extends DatabaseFaultsTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Test
    void aConnectionKilledInTheMiddleOfAClaimLeavesNothingPartialAndTheNextClaimWorks() throws Exception {
        List<Row> rows = IntStream.range(0, 60_000).mapToObj(i -> Row.of("Task", i)).toList();
        EntityManagerFactory unit = db.newUnit("conflictguard-test", "ApplicationName=cg-victim");
        try (ConflictGuard victim = ConflictGuard.builder().store(JpaClaimStore.create(unit, "faults"))
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build()) {
            CompletableFuture<?> claim = CompletableFuture.supplyAsync(
                    () -> victim.claim(ClaimRequest.builder().operationId("victim").rows(rows).build()));
            await("the claim's backend is terminated").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> claim.isDone() || terminate("cg-victim") > 0);
            try {
                claim.get(60, TimeUnit.SECONDS);
                throw new AssertionError("the claim finished before its connection could be killed");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreException.class);
            }
            assertThat(db.count("SELECT COUNT(*) FROM cg_object_lock WHERE operation_id = ?", "victim")).isZero();
            assertThat(guard.inspect(rows.subList(0, 1000))).isEmpty();

            await("the victim's next claim").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Claim next = victim.claim(rows.subList(0, 500)).orElseThrow()) {
                    return next.rows().size() == 500;
                }
            });
        } finally {
            unit.close();
        }
    }

    private long terminate(String application) {
        return db.count("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?"
                + " AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()", application);
    }
}
