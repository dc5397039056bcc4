package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConflictGuard;
import org.conflictguard.StoreException;

/**
 * What a failover did to the claims acknowledged before it: how many the new primary lost, and
 * how many of their rows another operation could claim while their holders still held them.
 * Shared by the Sentinel and Cluster failover tests, which claim row {@code i} as operation
 * {@code op-i}.
 */
record FailoverTally(int acknowledged, int refused, int lost, int doubleHolders) {

    /** The operation id of a claim of row {@code i}, or null if the store refused it (unconfirmed). */
    static String claim(ConflictGuard guard, int i) {
        String op = "op-" + i;
        try {
            guard.claim(ClaimRequest.builder().operationId(op).row("Task", i).build()).orElseThrow();
            return op; // dropped: its lease outlives the test; no renewal is needed
        } catch (StoreException unconfirmed) {
            return null;
        }
    }

    /**
     * The operation id of a claim of row {@code i} made while the replica keeps up. On a loaded
     * machine the replica may once confirm later than the store's timeout (its first writes after
     * the link came up, say); the store then withdrew the claim, so it is made again, for up to 20 s.
     */
    static String claimWhileInSync(ConflictGuard guard, int i) {
        AtomicReference<String> op = new AtomicReference<>();
        await("claim " + i + " confirmed while the replica keeps up").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    op.set(claim(guard, i));
                    return op.get() != null;
                });
        return op.get();
    }

    /** Counts, through {@code other} (a plain store on the new primary), what became of {@code acknowledged}. */
    static FailoverTally after(ConflictGuard other, List<String> acknowledged, int refused) {
        int lost = 0;
        int doubleHolders = 0;
        for (String op : acknowledged) {
            if (other.claimsOf(op).isEmpty()) {
                lost++;
            }
            int row = Integer.parseInt(op.substring("op-".length()));
            ClaimResult thief = other.claim(ClaimRequest.builder().operationId("thief-" + row).row("Task", row).build());
            if (thief.isClaimed()) {
                doubleHolders++;
                thief.claim().release();
            }
        }
        return new FailoverTally(acknowledged.size(), refused, lost, doubleHolders);
    }

    /** The figures as the tests print them. */
    String describe(int beforeLag) {
        return acknowledged + " claims acknowledged (" + (acknowledged - beforeLag) + " while the replica lagged, "
                + refused + " refused as unconfirmed), " + lost + " lost, " + doubleHolders + " rows held twice";
    }

    /**
     * With confirmation: every claim of the lagging window refused, none lost, none held twice.
     * Without: every claim of the window acknowledged, and all of them lost and held twice.
     */
    void check(boolean confirmed, int beforeLag, int duringLag) {
        if (confirmed) {
            assertThat(refused).as("claims refused while the replica lagged").isEqualTo(duringLag);
            assertThat(lost).as("acknowledged claims lost").isZero();
            assertThat(doubleHolders).as("rows held twice").isZero();
        } else {
            assertThat(acknowledged).isEqualTo(beforeLag + duringLag);
            assertThat(lost).as("claims acknowledged while the replica lagged are lost").isEqualTo(duringLag);
            assertThat(doubleHolders).isEqualTo(duringLag);
        }
    }
}
