package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a claim waiting for rows is woken by the release itself: the release statement
 * notifies, and the store of another node (another persistence unit, so other connections)
 * counts the release it was pushed.
 */
class PostgresReleaseWakeupTest {

    private TestDatabase db;
    private EntityManagerFactory otherNode;

    @BeforeEach
    void start() {
        db = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        otherNode = db.newUnit("conflictguard-test", "ApplicationName=other-node");
    }

    @AfterEach
    void stop() {
        otherNode.close();
        db.close();
    }

    @Test
    void aReleaseOnAnotherNodeIsPushedToTheStoreWhereAClaimWaits() throws Exception {
        String namespace = "wake" + Long.toHexString(System.nanoTime());
        JpaClaimStore here = JpaClaimStore.create(db.emf(), namespace);
        JpaClaimStore there = JpaClaimStore.create(otherNode, namespace);
        try (ConflictGuard waiting = ConflictGuard.builder().store(here).setting(ConfigKeys.SWEEP_INTERVAL, "off")
                .build();
                ConflictGuard holding = ConflictGuard.builder().store(there)
                        .setting(ConfigKeys.SWEEP_INTERVAL, "off").build()) {
            long seen = here.releases();
            // The listener starts with the first count: releases from then on are pushed here.
            await("a release on the other node counted here").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        holding.claim(ClaimRequest.builder().row("Task", 99).build()).orElseThrow().release();
                        return here.releases() > seen;
                    });

            Claim held = holding.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow();
            CompletableFuture<ClaimResult> waiter = CompletableFuture.supplyAsync(() -> waiting.claim(
                    ClaimRequest.builder().row("Task", 1).waitUpTo(Duration.ofSeconds(30)).build()));
            long before = here.releases();
            held.release();
            await("the release pushed").atMost(Duration.ofSeconds(10)).until(() -> here.releases() > before);
            try (Claim granted = waiter.get(30, TimeUnit.SECONDS).orElseThrow()) {
                assertThat(granted.isHeld()).isTrue();
            }
        } finally {
            here.close();
            there.close();
            db.dropClaims(namespace);
        }
    }

    @Test
    void whereNothingIsPushedTheCountNeverMovesAndAWaiterTriesAgainSoon() throws Exception {
        try (TestDatabase h2 = TestDatabase.create(TestDatabase.Kind.H2)) {
            JpaClaimStore store = JpaClaimStore.create(h2.emf(), "nopush");
            long seen = store.releases();
            long started = System.nanoTime();
            store.awaitRelease(seen, Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(store.releases()).isEqualTo(seen);
            store.close();
        }
    }
}
