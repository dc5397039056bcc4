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
import org.junit.jupiter.api.Test;

/** Faults of a database server (not an in-process database): a claim's connection killed from the server side. */
abstract class ServerDatabaseFaultsTest extends DatabaseFaultsTest {

    /** JDBC URL parameters that mark the victim's connections. */
    protected abstract String victimUrlParameters();

    /** Kills the victim's busy connections from the server side; returns how many. */
    protected abstract long killVictimConnections();

    @Test
    void aConnectionKilledInTheMiddleOfAClaimLeavesNothingPartialAndTheNextClaimWorks() throws Exception {
        List<Row> rows = IntStream.range(0, 60_000).mapToObj(i -> Row.of("Task", i)).toList();
        EntityManagerFactory unit = db.newUnit("conflictguard-test", victimUrlParameters());
        try (ConflictGuard victim = ConflictGuard.builder().store(JpaClaimStore.create(unit, "faults"))
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build()) {
            CompletableFuture<?> claim = CompletableFuture.supplyAsync(
                    () -> victim.claim(ClaimRequest.builder().operationId("victim").rows(rows).build()));
            await("the claim's backend is terminated").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> claim.isDone() || killVictimConnections() > 0);
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
}
