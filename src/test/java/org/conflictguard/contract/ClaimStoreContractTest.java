package org.conflictguard.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRefusedException;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Holder;
import org.conflictguard.Mark;
import org.conflictguard.OperationInUseException;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimRecord;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.ObservedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ClaimStore} fulfils, run through the public API (and the SPI where
 * a test needs a claim nobody renews). Subclassed once per store and database.
 */
public abstract class ClaimStoreContractTest {

    /** A lease short enough to watch lapse in a test. */
    protected static final Duration SHORT_LEASE = Duration.ofMillis(400);
    private static final Duration LEASE = Duration.ofSeconds(30);

    protected String namespace;
    protected ClaimStore store;
    protected ConflictGuard guard;

    /** A store for this namespace on the suite's server. */
    protected abstract ClaimStore newStore(String namespace);

    /** How many claims or claimed rows of this namespace the store still keeps (0 when clean). */
    protected abstract long leftovers(String namespace);

    /** Removes whatever the namespace left in the store, even the token counter. */
    protected abstract void dropNamespace(String namespace);

    /** Everything the store keeps for this namespace, as text that changes if any byte does. */
    protected abstract String snapshot(String namespace);

    /** How long the fuzz test runs. */
    protected Duration fuzzDuration() {
        return Duration.ofSeconds(Long.getLong("conflictguard.fuzz.seconds", 3));
    }

    @BeforeEach
    void startGuard() {
        namespace = "t" + Long.toHexString(System.nanoTime()) + Integer.toHexString(new Random().nextInt(1 << 16));
        store = newStore(namespace);
        guard = ConflictGuard.builder().store(store).setting(ConfigKeys.LEASE, "30s")
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
    }

    @AfterEach
    void checkNothingIsLeftBehind() {
        try {
            guard.close();
            store.close();
            assertThat(leftovers(namespace)).as("claims left in namespace %s", namespace).isZero();
        } finally {
            dropNamespace(namespace);
        }
    }

    @Test
    void aClaimHoldsEveryRowAndInspectionNamesItsHolder() {
        List<Row> rows = List.of(Row.of("Project", 1), Row.of("Task", 10), Row.of("Task", 11), Row.of("Task", 12));
        ClaimResult result = guard.claim(ClaimRequest.builder().rows(rows).operationId("op-archive")
                .label("bulk-archive").user("alice").build());

        assertThat(result.isClaimed()).isTrue();
        try (Claim claim = result.claim()) {
            assertThat(claim.token()).isPositive();
            assertThat(claim.rows()).containsExactlyElementsOf(rows);
            Map<Row, RowClaim> seen = guard.inspect(List.of(Row.of("Task", 11), Row.of("Task", 99), Row.of("Project", 1)));
            assertThat(seen.keySet()).containsExactly(Row.of("Project", 1), Row.of("Task", 11));
            assertThat(seen.get(Row.of("Task", 11)).scope()).isEqualTo(org.conflictguard.Scope.ROW);
            assertThat(seen.get(Row.of("Task", 11)).within()).isNull();
            Holder holder = seen.get(Row.of("Task", 11)).holder();
            assertThat(holder.operationId()).isEqualTo("op-archive");
            assertThat(holder.label()).isEqualTo("bulk-archive");
            assertThat(holder.user()).isEqualTo("alice");
            assertThat(holder.since()).isEqualTo(claim.since());
            assertThat(Duration.between(holder.since(), holder.leaseUntil())).isEqualTo(LEASE);
            assertThat(guard.claimsOf("op-archive")).extracting(RowClaim::row).containsExactlyElementsOf(rows);
            assertThat(claim.isHeld()).isTrue();
            assertThat(claim.release()).isEqualTo(new ReleaseOutcome(4, 0));
        }
        assertThat(guard.inspect(rows)).isEmpty();
        assertThat(guard.claimsOf("op-archive")).isEmpty();
    }

    @Test
    void anOverlapOfOneRowIsRefusedWithItsHolderAndClaimsNothing() {
        try (Claim first = guard.claim(ClaimRequest.builder().label("bulk-archive").user("alice")
                .row("Task", 1).row("Task", 2).row("Task", 3).build()).orElseThrow()) {
            ClaimResult second = guard.claim(ClaimRequest.builder().label("reschedule")
                    .row("Task", 3).row("Task", 4).row("Task", 5).build());

            assertThat(second.isClaimed()).isFalse();
            assertThat(second.conflicts()).hasSize(1);
            RowClaim conflict = second.conflicts().get(0);
            assertThat(conflict.row()).isEqualTo(Row.of("Task", 3));
            assertThat(conflict.holder().operationId()).isEqualTo(first.operationId());
            assertThat(conflict.holder().label()).isEqualTo("bulk-archive");
            assertThat(conflict.holder().user()).isEqualTo("alice");
            assertThat(guard.inspect(List.of(Row.of("Task", 4), Row.of("Task", 5)))).isEmpty();
            assertThatThrownBy(second::orElseThrow).isInstanceOf(ClaimRefusedException.class)
                    .hasMessageContaining("Entity 'Task' id 3 is claimed by operation '" + first.operationId()
                            + "' (label 'bulk-archive') for user 'alice' since")
                    .satisfies(e -> assertThat(((ClaimRefusedException) e).conflicts()).isEqualTo(second.conflicts()));
        }
    }

    @Test
    void disjointSetsAreBothGranted() {
        try (Claim a = guard.claim(List.of(Row.of("Task", 1), Row.of("Task", 2))).orElseThrow();
                Claim b = guard.claim(List.of(Row.of("Task", 3), Row.of("Milestone", 2))).orElseThrow()) {
            assertThat(a.token()).isNotEqualTo(b.token());
            assertThat(guard.inspect(List.of(Row.of("Task", 2), Row.of("Task", 3))).values())
                    .extracting(c -> c.holder().operationId()).containsExactly(a.operationId(), b.operationId());
        }
    }

    @Test
    void claimTokensAndRecordsTellAViewWhatEveryKeptClaimMarksWithinItsBudget() {
        assertThat(store.claimTokens()).contains(Set.of());
        ClaimOutcome rows = store.claim(spec("op-rows", LEASE, Row.of("Task", 7), Row.of("Task", "x y"),
                Row.of("Milestone", 7)));
        ClaimOutcome tree = store.claim(marks("op-tree", SHORT_LEASE, List.of(subtree(Row.of("Project", 7))),
                List.of()));
        assertThat(store.claimTokens().orElseThrow()).containsExactlyInAnyOrder(rows.token(), tree.token());
        List<ClaimRecord> records = store.claimRecords(List.of(tree.token(), 987_654_321L, rows.token()), 10);
        assertThat(records).extracting(ClaimRecord::token).as("in the order asked; unknown tokens absent")
                .containsExactly(tree.token(), rows.token());
        assertThat(records).allMatch(ClaimRecord::complete);
        assertThat(records.get(0).marks()).containsExactly(subtree(Row.of("Project", 7)));
        assertThat(records.get(1).marks()).containsExactlyInAnyOrder(row(Row.of("Task", 7)), row(Row.of("Task", "x y")),
                row(Row.of("Milestone", 7)));
        assertThat(records.get(1).entities()).containsExactlyInAnyOrder("Task", "Milestone");

        List<ClaimRecord> budgeted = store.claimRecords(List.of(tree.token(), rows.token()), 2);
        assertThat(budgeted.get(0).marks()).as("the first claim fits").hasSize(1);
        assertThat(budgeted.get(1)).as("the second would go over: its entities only")
                .isEqualTo(ClaimRecord.tooLarge(rows.token(), Set.of("Task", "Milestone")));

        store.release("op-rows", rows.token());
        awaitLapse("op-tree", tree.token());
        assertThat(store.claimTokens().orElseThrow()).as("a lapsed claim is kept until swept")
                .containsExactly(tree.token());
        store.sweep();
        assertThat(store.claimTokens().orElseThrow()).isEmpty();
        assertThat(store.claimRecords(List.of(rows.token(), tree.token()), 10)).isEmpty();
    }

    @Test
    void rowsCanBeClaimedAgainRightAfterRelease() {
        List<Row> rows = List.of(Row.of("Task", 1), Row.of("Task", 2));
        for (int i = 0; i < 5; i++) {
            Claim claim = guard.claim(rows).orElseThrow();
            assertThat(claim.release()).isEqualTo(new ReleaseOutcome(2, 0));
        }
        assertThat(guard.inspect(rows)).isEmpty();
    }

    @Test
    void aReleaseOrRenewalWithAnotherOperationsTokenChangesNothing() {
        ClaimOutcome a = store.claim(spec("op-a", LEASE, Row.of("Task", 1), Row.of("Task", 2)));
        ClaimOutcome b = store.claim(spec("op-b", LEASE, Row.of("Task", 3)));
        Map<Row, RowClaim> before = store.marksOn(List.of(Row.of("Task", 1), Row.of("Task", 2), Row.of("Task", 3)));

        assertThat(store.release("op-a", b.token())).isZero();
        assertThat(store.release("op-b", a.token())).isZero();
        assertThat(store.renew("op-a", b.token(), Duration.ofDays(1))).isEmpty();
        assertThat(store.holds("op-a", b.token())).isFalse();
        assertThat(store.marksOn(List.of(Row.of("Task", 1), Row.of("Task", 2), Row.of("Task", 3)))).isEqualTo(before);

        assertThat(store.release("op-a", a.token())).isEqualTo(2);
        assertThat(store.release("op-b", b.token())).isEqualTo(1);
    }

    @Test
    void aLapsedLeaseLetsAnotherOperationClaimAndTheOldHolderCanNeitherRenewNorRelease() {
        ClaimOutcome stale = store.claim(spec("op-stale", SHORT_LEASE, Row.of("Task", 1), Row.of("Task", 2)));
        assertThat(store.holds("op-stale", stale.token())).isTrue();
        awaitLapse("op-stale", stale.token());

        try (Claim fresh = guard.claim(List.of(Row.of("Task", 1), Row.of("Task", 2))).orElseThrow()) {
            assertThat(fresh.token()).isGreaterThan(stale.token());
            assertThat(store.renew("op-stale", stale.token(), LEASE)).isEmpty();
            assertThat(store.release("op-stale", stale.token())).isZero();
            assertThat(guard.inspect(fresh.rows()).values()).extracting(c -> c.holder().operationId())
                    .containsOnly(fresh.operationId());
            assertThat(fresh.isHeld()).isTrue();
        }
        assertThat(guard.sweep().rows()).isZero();
    }

    @Test
    void aReleaseAfterTheLeaseLapsedReportsTheLossAndKeepsTheNewOwnersRows() {
        ObservedStore stalling = new ObservedStore(store);
        try (ConflictGuard paused = ConflictGuard.builder().store(stalling).setting(ConfigKeys.SWEEP_INTERVAL, "off")
                .build()) {
            Claim old = paused.claim(ClaimRequest.builder().lease(SHORT_LEASE).row("Task", 1).row("Task", 2)
                    .row("Task", 3).build()).orElseThrow();
            stalling.stallRenewals();
            awaitLapse(old.operationId(), old.token());
            Claim thief = guard.claim(List.of(Row.of("Task", 2))).orElseThrow();

            stalling.resumeRenewals();
            await().atMost(Duration.ofSeconds(10)).until(old::isLost);
            assertThat(old.renew()).isFalse();
            assertThat(old.release()).isEqualTo(new ReleaseOutcome(2, 1));
            assertThat(guard.inspect(List.of(Row.of("Task", 1), Row.of("Task", 2), Row.of("Task", 3))))
                    .containsOnlyKeys(Row.of("Task", 2));
            assertThat(thief.isHeld()).isTrue();
            assertThat(thief.release()).isEqualTo(new ReleaseOutcome(1, 0));
        }
    }

    @Test
    void anOpenClaimIsRenewedBeyondItsFirstLease() {
        try (Claim claim = guard.claim(ClaimRequest.builder().lease(SHORT_LEASE).row("Task", 1).build()).orElseThrow()) {
            Instant first = claim.leaseUntil();
            await().atMost(Duration.ofSeconds(10)).until(() -> claim.leaseUntil().isAfter(first.plus(SHORT_LEASE)));
            assertThat(claim.isHeld()).isTrue();
            assertThat(claim.isLost()).isFalse();
            assertThat(guard.claim(List.of(Row.of("Task", 1))).isClaimed()).isFalse();
        }
    }

    @Test
    void twentyThreadsRacingForOneSetLeaveExactlyOneWinner() throws Exception {
        List<Row> rows = IntStream.range(0, 50).mapToObj(i -> Row.of("Task", i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch ready = new CountDownLatch(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ClaimResult>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return guard.claim(rows);
                }));
            }
            ready.await();
            go.countDown();
            List<ClaimResult> all = new ArrayList<>();
            for (Future<ClaimResult> f : results) {
                all.add(f.get(60, TimeUnit.SECONDS));
            }
            List<ClaimResult> winners = all.stream().filter(ClaimResult::isClaimed).toList();
            assertThat(winners).hasSize(1);
            String winner = winners.get(0).claim().operationId();
            for (ClaimResult loser : all) {
                if (!loser.isClaimed()) {
                    assertThat(loser.conflicts()).extracting(c -> c.holder().operationId()).containsOnly(winner);
                }
            }
            assertThat(winners.get(0).claim().release()).isEqualTo(new ReleaseOutcome(50, 0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fuzzRandomOverlappingClaimsNeverShareARow() throws Exception {
        int threads = 8;
        List<Row> universe = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> universe.add(Row.of("Task", i)));
        IntStream.range(0, 10).forEach(i -> universe.add(Row.of("Milestone", i)));
        Map<Row, String> owners = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong granted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long deadline = System.nanoTime() + fuzzDuration().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 1000 + t;
                workers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    while (System.nanoTime() < deadline) {
                        Set<Row> wanted = new HashSet<>();
                        int size = 1 + random.nextInt(6);
                        while (wanted.size() < size) {
                            wanted.add(universe.get(random.nextInt(universe.size())));
                        }
                        ClaimResult result = guard.claim(wanted);
                        if (!result.isClaimed()) {
                            refused.incrementAndGet();
                            for (RowClaim c : result.conflicts()) {
                                if (!wanted.contains(c.row())) {
                                    violations.add("conflict on a row not asked for: " + c);
                                }
                            }
                            continue;
                        }
                        Claim claim = result.claim();
                        granted.incrementAndGet();
                        for (Row row : claim.rows()) {
                            String other = owners.putIfAbsent(row, claim.operationId());
                            if (other != null) {
                                violations.add(row + " granted to " + claim.operationId() + " while " + other + " held it");
                            }
                        }
                        for (Row row : claim.rows()) {
                            if (!owners.remove(row, claim.operationId())) {
                                violations.add(row + " lost its owner record under " + claim.operationId());
                            }
                        }
                        ReleaseOutcome outcome = claim.release();
                        if (outcome.released() != wanted.size() || outcome.lost() != 0) {
                            violations.add("release of " + wanted.size() + " rows gave " + outcome);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(fuzzDuration().toSeconds() + 120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.err.printf("[conflictguard-tests] fuzz on %s: %d granted, %d refused, %d violations%n",
                store.description(), granted.get(), refused.get(), violations.size());
        assertThat(violations).isEmpty();
        assertThat(granted.get()).isPositive();
        assertThat(refused.get()).isPositive();
        assertThat(guard.inspect(universe)).isEmpty();
    }

    @Test
    void aHundredThousandRowClaimIsAllOrNothing() {
        List<Row> rows = IntStream.range(0, 100_000).mapToObj(i -> Row.of("Task", String.format("%06d", i))).toList();
        Claim blocker = guard.claim(List.of(Row.of("Task", "077777"))).orElseThrow();

        ClaimResult refused = guard.claim(ClaimRequest.builder().operationId("big").rows(rows).build());
        assertThat(refused.conflicts()).extracting(RowClaim::row).containsExactly(Row.of("Task", "077777"));
        assertThat(guard.claimsOf("big")).isEmpty();
        assertThat(guard.inspect(rows.subList(0, 2000))).isEmpty();

        blocker.release();
        try (Claim big = guard.claim(ClaimRequest.builder().operationId("big").rows(rows).build()).orElseThrow()) {
            assertThat(guard.claimsOf("big")).hasSize(100_000);
            assertThat(guard.inspect(List.of(Row.of("Task", "000000"), Row.of("Task", "099999")))).hasSize(2);
            assertThat(big.release()).isEqualTo(new ReleaseOutcome(100_000, 0));
        }
    }

    @Test
    void fencingTokensStrictlyIncrease() throws Exception {
        long last = 0;
        for (int i = 0; i < 10; i++) {
            Claim claim = guard.claim(List.of(Row.of("Task", i % 2))).orElseThrow();
            assertThat(claim.token()).isGreaterThan(last);
            last = claim.token();
            claim.release();
        }
        Set<Long> tokens = ConcurrentHashMap.newKeySet();
        AtomicInteger claims = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        try (Claim claim = guard.claim(List.of(Row.of("Task", thread * 100 + i))).orElseThrow()) {
                            tokens.add(claim.token());
                            claims.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokens).hasSize(claims.get()).allMatch(token -> token > 0);
        try (Claim later = guard.claim(List.of(Row.of("Task", 5))).orElseThrow()) {
            assertThat(later.token()).isGreaterThan(tokens.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
    }

    @Test
    void releaseIsIdempotent() {
        Claim claim = guard.claim(List.of(Row.of("Task", 1), Row.of("Task", 2))).orElseThrow();
        ReleaseOutcome first = claim.release();
        Claim next = guard.claim(List.of(Row.of("Task", 1))).orElseThrow();

        assertThat(claim.release()).isEqualTo(first).isEqualTo(new ReleaseOutcome(2, 0));
        claim.close();
        assertThat(claim.isHeld()).isFalse();
        assertThat(next.isHeld()).isTrue();
        next.release();
    }

    @Test
    void forceReleaseRemovesAnOperationsClaimsAndItsOwnerLearnsOfTheLoss() {
        Claim claim = guard.claim(ClaimRequest.builder().operationId("stuck-job").row("Task", 1).row("Task", 2).build())
                .orElseThrow();

        assertThat(guard.claimsOf("stuck-job")).hasSize(2);
        assertThat(guard.forceRelease("stuck-job")).isEqualTo(2);
        assertThat(guard.claimsOf("stuck-job")).isEmpty();
        assertThat(guard.forceRelease("stuck-job")).isZero();
        assertThat(claim.isHeld()).isFalse();
        assertThat(claim.release()).isEqualTo(new ReleaseOutcome(0, 2));
        assertThat(claim.isLost()).isTrue();
    }

    @Test
    void forceReleaseRemovesEveryClaimOfTheOperationLiveOrLapsed() {
        // Regression: Redis removed only the operation's latest claim and left a lapsed one behind.
        ClaimOutcome lapsed = store.claim(spec("op-twice", SHORT_LEASE, Row.of("Task", 1), Row.of("Task", 2),
                Row.of("Task", 3)));
        awaitLapse("op-twice", lapsed.token());
        ClaimOutcome live = store.claim(spec("op-twice", LEASE, Row.of("Task", 4), Row.of("Task", 5)));

        assertThat(guard.forceRelease("op-twice")).isEqualTo(5);
        assertThat(store.holds("op-twice", live.token())).isFalse();
        assertThat(guard.claimsOf("op-twice")).isEmpty();
        assertThat(guard.sweep()).as("nothing lapsed is left to sweep").isEqualTo(new SweepSummary(0, 0));
        assertThat(leftovers(namespace)).isZero();
    }

    @Test
    void aSweepRemovesLapsedClaimsAndFreesTheirRows() {
        ClaimOutcome lapsed = store.claim(spec("crashed", SHORT_LEASE, Row.of("Task", 1), Row.of("Task", 2),
                Row.of("Milestone", 1)));
        ClaimOutcome live = store.claim(spec("alive", LEASE, Row.of("Task", 3)));
        awaitLapse("crashed", lapsed.token());

        assertThat(guard.sweep()).isEqualTo(new SweepSummary(1, 3));
        assertThat(guard.sweep()).isEqualTo(new SweepSummary(0, 0));
        assertThat(store.holds("alive", live.token())).isTrue();
        assertThat(store.release("alive", live.token())).isEqualTo(1);
    }

    @Test
    void idsAreStoredExactlyWhateverTheyContain() {
        List<String> ids = List.of("a:b", "{x}", "}{", "a b", "a", "A", "a ", " a", "\u00e9", "e\u0301", "\u65e5\u672c",
                "\ud83d\ude00", "%", "_", "*", "[a]", "x\ny", "'; DROP TABLE cg_object_lock; --", "\\", "locked:Task",
                "x".repeat(Row.MAX_ID_LENGTH), "\ud83d\ude00".repeat(Row.MAX_ID_LENGTH));
        List<Claim> claims = new ArrayList<>();
        for (String id : ids) {
            ClaimResult result = guard.claim(ClaimRequest.builder().operationId("op-" + claims.size()).row("Task", id)
                    .build());
            assertThat(result.isClaimed()).as("id %s collides with another", id).isTrue();
            claims.add(result.claim());
        }
        List<Row> rows = ids.stream().map(id -> Row.of("Task", id)).toList();
        Map<Row, RowClaim> seen = guard.inspect(rows);
        assertThat(seen).hasSize(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(seen.get(Row.of("Task", ids.get(i))).holder().operationId()).isEqualTo("op-" + i);
            assertThat(guard.claimsOf("op-" + i)).extracting(RowClaim::row).containsExactly(Row.of("Task", ids.get(i)));
        }
        Claim different = guard.claim(List.of(Row.of("Task", "\u00e1"))).orElseThrow();
        different.release();
        claims.forEach(Claim::release);
        assertThat(guard.claimsOf("nobody")).isEmpty();
        assertThat(guard.inspect(rows)).isEmpty();
    }

    @Test
    void hostileLabelsAndUsersAreStoredAsGiven() {
        String label = "'; DELETE FROM cg_object_lock; -- {x} \\ \" %_* \u65e5";
        String user = "redis.call('FLUSHALL') ]] --";
        try (Claim claim = guard.claim(ClaimRequest.builder().label(label).user(user).row("Task", 1).build())
                .orElseThrow()) {
            Holder holder = guard.inspect(List.of(Row.of("Task", 1))).get(Row.of("Task", 1)).holder();
            assertThat(holder.label()).isEqualTo(label);
            assertThat(holder.user()).isEqualTo(user);
        }
    }

    @Test
    void duplicateRowsAreClaimedOnce() {
        ClaimRequest request = ClaimRequest.builder().row("Task", 7).row("Task", "7").row("Task", 7L)
                .rows(List.of(Row.of("Task", 7))).build();
        assertThat(request.rows()).containsExactly(Row.of("Task", "7"));
        try (Claim claim = guard.claim(request).orElseThrow()) {
            assertThat(guard.claimsOf(claim.operationId())).hasSize(1);
        }
    }

    @Test
    void aClaimMadeOnOneThreadCanBeReleasedOnAnother() throws Exception {
        ExecutorService requestThread = Executors.newSingleThreadExecutor();
        ExecutorService workerThread = Executors.newSingleThreadExecutor();
        try {
            Claim claim = requestThread.submit(() -> guard.claim(List.of(Row.of("Task", 1))).orElseThrow())
                    .get(30, TimeUnit.SECONDS);
            ReleaseOutcome outcome = workerThread.submit(claim::release).get(30, TimeUnit.SECONDS);
            assertThat(outcome).isEqualTo(new ReleaseOutcome(1, 0));
            assertThat(guard.inspect(List.of(Row.of("Task", 1)))).isEmpty();
        } finally {
            requestThread.shutdownNow();
            workerThread.shutdownNow();
        }
    }

    @Test
    void anOperationIdHoldsOneLiveClaimAtATime() {
        Claim claim = guard.claim(ClaimRequest.builder().operationId("job-1").row("Task", 1).build()).orElseThrow();
        assertThatThrownBy(() -> guard.claim(ClaimRequest.builder().operationId("job-1").row("Task", 2).build()))
                .isInstanceOf(OperationInUseException.class).hasMessageContaining("'job-1' already holds a live claim")
                .satisfies(e -> assertThat(((OperationInUseException) e).operationId()).isEqualTo("job-1"));
        assertThat(guard.inspect(List.of(Row.of("Task", 2)))).isEmpty();
        claim.release();
        guard.claim(ClaimRequest.builder().operationId("job-1").row("Task", 2).build()).orElseThrow().release();
    }

    @Test
    void aClaimOfNoRowsIsGrantedWithoutHoldingAnything() {
        try (Claim claim = guard.claim(List.of()).orElseThrow()) {
            assertThat(claim.rows()).isEmpty();
            assertThat(claim.token()).isZero();
            assertThat(claim.isHeld()).isTrue();
            assertThat(claim.release()).isEqualTo(ReleaseOutcome.NOTHING);
        }
    }

    @Test
    void claimTokensOfANamespaceLeaveOutTheClaimsOfAnotherMadeInBetween() {
        String otherNamespace = namespace + "t";
        ClaimStore otherStore = newStore(otherNamespace);
        try (otherStore) {
            ClaimOutcome first = store.claim(spec("op-1", LEASE, Row.of("Task", 1)));
            ClaimOutcome between = otherStore.claim(spec("op-2", LEASE, Row.of("Task", 1), Row.of("Task", 2)));
            ClaimOutcome last = store.claim(spec("op-3", LEASE, Row.of("Task", 3)));
            ClaimOutcome after = otherStore.claim(spec("op-4", LEASE, Row.of("Task", 4)));
            assertThat(List.of(first, between, last, after)).allMatch(ClaimOutcome::isGranted);
            assertThat(store.claimTokens().orElseThrow()).containsExactlyInAnyOrder(first.token(), last.token());
            assertThat(otherStore.claimTokens().orElseThrow()).containsExactlyInAnyOrder(between.token(), after.token());
            store.release("op-3", last.token());
            assertThat(store.claimTokens().orElseThrow()).containsExactly(first.token());
            store.release("op-1", first.token());
            assertThat(store.claimTokens().orElseThrow()).isEmpty();
        } finally {
            dropNamespace(otherNamespace);
        }
    }

    @Test
    void anotherNamespaceNeverSeesTheseClaimsNorCanReleaseThem() {
        String otherNamespace = namespace + "x";
        try (ConflictGuard other = ConflictGuard.builder().store(newStore(otherNamespace))
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
                Claim mine = guard.claim(ClaimRequest.builder().operationId("shared-op").row("Task", 1).build())
                        .orElseThrow()) {
            assertThat(other.inspect(List.of(Row.of("Task", 1)))).isEmpty();
            assertThat(other.claimsOf("shared-op")).isEmpty();
            assertThat(other.forceRelease("shared-op")).isZero();
            try (Claim theirs = other.claim(ClaimRequest.builder().operationId("shared-op").row("Task", 1).build())
                    .orElseThrow()) {
                assertThat(guard.inspect(List.of(Row.of("Task", 1))).get(Row.of("Task", 1)).holder().since())
                        .isEqualTo(mine.since());
                assertThat(theirs.isHeld()).isTrue();
            }
            assertThat(mine.isHeld()).isTrue();
        } finally {
            dropNamespace(otherNamespace);
        }
    }

    @Test
    void rejectedInputLeavesTheStoreExactlyAsItWas() {
        // A long lease: no renewal may change the store while the snapshot is compared.
        Claim held = guard.claim(ClaimRequest.builder().operationId("keeper").label("l").row("Task", 1).row("Task", 2)
                .lease(Duration.ofDays(1)).build()).orElseThrow();
        String before = snapshot(namespace);
        List<Runnable> rejected = List.of(
                () -> guard.claim((ClaimRequest) null),
                () -> guard.claim(java.util.Arrays.asList(Row.of("Task", 3), null)),
                () -> guard.claim(List.of(Row.of("Task", 3), Row.of(" ", 4))),
                () -> guard.claim(List.of(Row.of("Task", 3), Row.of("Task", "x".repeat(256)))),
                () -> guard.claim(List.of(Row.of("Task", 3), Row.of("Task", "nul\u0000"))),
                () -> guard.claim(List.of(Row.of("Task", 3), Row.of("Task", (Object) null))),
                () -> guard.claim(ClaimRequest.builder().row("Task", 3).lease(java.time.Duration.ZERO).build()),
                () -> guard.claim(ClaimRequest.builder().operationId("keeper").row("Task", 3).build()),
                () -> guard.inspect(null),
                () -> guard.claimsOf(" "),
                () -> guard.forceRelease(null));
        for (Runnable call : rejected) {
            assertThatThrownBy(call::run).isInstanceOfAny(IllegalArgumentException.class, OperationInUseException.class);
        }
        assertThat(snapshot(namespace)).isEqualTo(before);
        held.release();
    }

    // ----- Modes and lease control.

    @Test
    void sharedClaimsCoexistAndAnExclusiveOneConflictsWithThemInEitherOrder() {
        Claim first = guard.claim(ClaimRequest.builder().operationId("reader-1").label("export").shared()
                .row("Task", 1).row("Task", 2).build()).orElseThrow();
        Claim second = guard.claim(ClaimRequest.builder().operationId("reader-2").label("report").shared()
                .row("Task", 2).row("Task", 3).build()).orElseThrow();
        assertThat(first.mode()).isEqualTo(org.conflictguard.ClaimMode.SHARED);
        RowClaim seen = guard.inspect(List.of(Row.of("Task", 2))).get(Row.of("Task", 2));
        assertThat(seen.holder().mode()).isEqualTo(org.conflictguard.ClaimMode.SHARED);
        assertThat(seen.holder().operationId()).isIn("reader-1", "reader-2");
        assertThat(seen.toString()).contains("in shared mode");

        ClaimResult writer = guard.claim(ClaimRequest.builder().operationId("writer").row("Task", 2).row("Task", 9)
                .build());
        assertThat(writer.isClaimed()).isFalse();
        assertThat(writer.conflicts()).as("every shared holder of the row, each with its mode")
                .extracting(c -> c.row().id() + " " + c.holder().operationId() + " " + c.holder().mode())
                .containsExactlyInAnyOrder("2 reader-1 SHARED", "2 reader-2 SHARED");
        assertThat(guard.inspect(List.of(Row.of("Task", 9)))).as("the refused claim took nothing").isEmpty();

        assertThat(first.release()).isEqualTo(new ReleaseOutcome(2, 0));
        assertThat(guard.claim(ClaimRequest.builder().operationId("writer").row("Task", 2).build()).isClaimed())
                .as("one shared holder is left").isFalse();
        assertThat(guard.claimsOf("reader-2")).extracting(RowClaim::row)
                .containsExactly(Row.of("Task", 2), Row.of("Task", 3));
        assertThat(second.release()).isEqualTo(new ReleaseOutcome(2, 0));

        try (Claim exclusive = guard.claim(ClaimRequest.builder().operationId("writer").row("Task", 2).build())
                .orElseThrow()) {
            ClaimResult reader = guard.claim(ClaimRequest.builder().operationId("reader-3").shared().row("Task", 2)
                    .build());
            assertThat(reader.conflicts()).singleElement().satisfies(c -> {
                assertThat(c.holder().operationId()).isEqualTo("writer");
                assertThat(c.holder().mode()).isEqualTo(org.conflictguard.ClaimMode.EXCLUSIVE);
            });
        }
    }

    /**
     * The compatibility matrix of multi-granularity locking, with the modes of whole claims: on the
     * same row, a subtree above a row, a row below a subtree and a subtree above a subtree, the
     * second claim is granted exactly when both are shared, and a refusal names the first claim's
     * holder and mode.
     */
    @Test
    void theModeMatrixHoldsOnRowsSubtreesAndIntentionsInEitherOrder() {
        record Shape(String name, List<Mark> marks, List<Row> ancestors) {
        }
        List<Shape> shapes = List.of(new Shape("row T7", List.of(row(T7)), List.of(M10, P1)),
                new Shape("subtree P1", List.of(subtree(P1)), List.of()),
                new Shape("subtree M10", List.of(subtree(M10)), List.of(P1)),
                new Shape("row P1", List.of(row(P1)), List.of()));
        org.conflictguard.ClaimMode[] modes = org.conflictguard.ClaimMode.values();
        int pairs = 0;
        for (Shape a : shapes) {
            for (Shape b : shapes) {
                boolean meet = !(a.name().equals("row P1") && b.name().startsWith("row T7")
                        || a.name().startsWith("row T7") && b.name().equals("row P1")
                        || a.name().equals("row P1") && b.name().equals("subtree M10")
                        || a.name().equals("subtree M10") && b.name().equals("row P1"));
                for (org.conflictguard.ClaimMode ma : modes) {
                    for (org.conflictguard.ClaimMode mb : modes) {
                        ClaimOutcome first = store.claim(new ClaimSpec("op-a", null, null, a.marks(), a.ancestors(),
                                LEASE, ma));
                        ClaimOutcome second = store.claim(new ClaimSpec("op-b", null, null, b.marks(),
                                b.ancestors(), LEASE, mb));
                        String what = ma + " " + a.name() + " then " + mb + " " + b.name();
                        assertThat(first.isGranted()).as(what).isTrue();
                        assertThat(second.isGranted()).as(what).isEqualTo(!meet || ma.compatibleWith(mb));
                        if (!second.isGranted()) {
                            assertThat(second.conflicts()).as(what).isNotEmpty().allSatisfy(c -> {
                                assertThat(c.holder().operationId()).isEqualTo("op-a");
                                assertThat(c.holder().mode()).isEqualTo(ma);
                            });
                        } else {
                            assertThat(store.release("op-b", second.token())).as(what).isEqualTo(1);
                        }
                        assertThat(store.release("op-a", first.token())).as(what).isEqualTo(1);
                        pairs++;
                    }
                }
            }
        }
        assertThat(pairs).isEqualTo(64);
    }

    /**
     * Threads claim random small sets of rows, shared or exclusive, and record what they hold while
     * they hold it: a row never has an exclusive holder beside any other holder, and shared holders do
     * meet on rows.
     */
    @Test
    void manyThreadsOfSharedAndExclusiveClaimsNeverHoldARowAgainstTheMatrix() throws Exception {
        matrixFuzz(false);
    }

    /**
     * The same with half the claims waiting in the queue: the matrix holds, every waiting claim is
     * granted within its wait, and no place is left behind (checked after each test).
     */
    @Test
    void manyThreadsOfWaitingAndImpatientClaimsNeverHoldARowAgainstTheMatrix() throws Exception {
        matrixFuzz(true);
    }

    private void matrixFuzz(boolean someWait) throws Exception {
        int threads = 8;
        AtomicInteger waitedInVain = new AtomicInteger();
        AtomicInteger grantedWaiting = new AtomicInteger();
        Map<Row, List<Claim>> holding = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger sharedMeetings = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        long end = System.nanoTime() + fuzzDuration().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    while (System.nanoTime() < end) {
                        boolean shared = random.nextInt(4) != 0;
                        ClaimRequest.Builder request = ClaimRequest.builder().mode(shared
                                ? org.conflictguard.ClaimMode.SHARED : org.conflictguard.ClaimMode.EXCLUSIVE);
                        for (int i = 0; i < 1 + random.nextInt(3); i++) {
                            request.row("Task", random.nextInt(6));
                        }
                        boolean waits = someWait && random.nextBoolean();
                        if (waits) {
                            request.waitUpTo(Duration.ofSeconds(20));
                        }
                        ClaimResult result = guard.claim(request.build());
                        if (!result.isClaimed()) {
                            if (waits) {
                                waitedInVain.incrementAndGet();
                            }
                            continue;
                        }
                        granted.incrementAndGet();
                        if (waits) {
                            grantedWaiting.incrementAndGet();
                        }
                        try (Claim claim = result.claim()) {
                            for (Row row : claim.rows()) {
                                synchronized (holding) {
                                    List<Claim> holders = holding.computeIfAbsent(row, r -> new ArrayList<>());
                                    holders.add(claim);
                                    boolean exclusive = holders.stream()
                                            .anyMatch(c -> c.mode() == org.conflictguard.ClaimMode.EXCLUSIVE);
                                    if (exclusive && holders.size() > 1) {
                                        // What the store holds now, to tell a store's race from a reading of it.
                                        violations.add(row + " held by " + holders.stream().map(c -> c.operationId()
                                                + "/" + c.token() + "/" + c.mode()).toList() + ", store: "
                                                + snapshot(namespace));
                                    }
                                    if (!exclusive && holders.size() > 1) {
                                        sharedMeetings.incrementAndGet();
                                    }
                                }
                            }
                            Thread.yield();
                            for (Row row : claim.rows()) {
                                synchronized (holding) {
                                    holding.get(row).remove(claim);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(fuzzDuration().toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations).as("rows held against the matrix").isEmpty();
        assertThat(waitedInVain.get()).as("waiting claims not granted within their wait").isZero();
        if (someWait) {
            // Waiting claims queue behind each other (and poll on MariaDB and H2): fewer grants, and
            // shared claims meet less often; what counts is that waiting ones were granted.
            assertThat(grantedWaiting.get()).as("waiting claims granted").isPositive();
        } else {
            assertThat(granted.get()).isGreaterThan(20);
            assertThat(sharedMeetings.get()).as("shared claims held a row together").isPositive();
        }
    }

    @Test
    void aFixedLeaseLapsesOnTimeWithoutRenewal() {
        Claim claim = guard.claim(ClaimRequest.builder().operationId("fixed").row("Task", 1)
                .fixedLease(Duration.ofMillis(300)).build()).orElseThrow();
        assertThat(Duration.between(claim.since(), claim.leaseUntil())).isEqualTo(Duration.ofMillis(300));
        RowClaim held = guard.inspect(List.of(Row.of("Task", 1))).get(Row.of("Task", 1));
        assertThat(held.holder().leaseUntil()).isEqualTo(claim.leaseUntil());
        await("the fixed lease lapses").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> guard.inspect(List.of(Row.of("Task", 1))).isEmpty());
        assertThat(claim.isHeld()).isFalse();
        try (Claim next = guard.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow()) {
            assertThat(next.since()).as("by the store's clock, not before the lease end")
                    .isAfterOrEqualTo(claim.leaseUntil());
        }
        assertThat(claim.renew(Duration.ofSeconds(1))).as("a lapsed claim is not renewed").isEmpty();
        assertThat(claim.isLost()).isTrue();
        assertThat(claim.release()).isEqualTo(new ReleaseOutcome(0, 1));
    }

    @Test
    void aFixedLeaseOfAFewMillisecondsIsHonoured() {
        Claim claim = guard.claim(ClaimRequest.builder().row("Task", 1).fixedLease(Duration.ofMillis(2)).build())
                .orElseThrow();
        assertThat(Duration.between(claim.since(), claim.leaseUntil())).isEqualTo(Duration.ofMillis(2));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> guard.claim(ClaimRequest.builder().operationId("after").row("Task", 1).build())
                        .isClaimed());
        guard.forceRelease("after");
        claim.release();
    }

    @Test
    void renewWithALengthSetsTheLeaseEndByTheStoresClock() {
        try (Claim claim = guard.claim(ClaimRequest.builder().operationId("renewing").row("Task", 1)
                .fixedLease(Duration.ofSeconds(1)).build()).orElseThrow()) {
            Instant longer = claim.renew(Duration.ofSeconds(10)).orElseThrow();
            assertThat(claim.leaseUntil()).isEqualTo(longer);
            Holder holder = guard.inspect(List.of(Row.of("Task", 1))).get(Row.of("Task", 1)).holder();
            assertThat(holder.leaseUntil()).isEqualTo(longer);
            assertThat(Duration.between(holder.since(), longer)).isGreaterThanOrEqualTo(Duration.ofSeconds(10));

            Instant shorter = claim.renew(Duration.ofMillis(200)).orElseThrow();
            assertThat(shorter).isBefore(longer);
            assertThat(guard.inspect(List.of(Row.of("Task", 1))).get(Row.of("Task", 1)).holder().leaseUntil())
                    .isEqualTo(shorter);
            assertThat(claim.renew()).as("renew() uses the length given last").isTrue();
            assertThat(Duration.between(shorter, claim.leaseUntil())).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void releaseKeepingHoldsTheRowsUntilTheStoresNowPlusTheKeep() {
        Claim claim = guard.claim(ClaimRequest.builder().operationId("keeper").row("Task", 1).row("Task", 2)
                .build()).orElseThrow();
        Instant until = claim.releaseKeeping(Duration.ofMillis(700)).orElseThrow();
        assertThat(claim.leaseUntil()).isEqualTo(until);
        assertThat(guard.inspect(List.of(Row.of("Task", 1))).get(Row.of("Task", 1)).holder().leaseUntil())
                .isEqualTo(until);
        assertThat(guard.claim(List.of(Row.of("Task", 2))).isClaimed()).as("kept after the release").isFalse();
        claim.close(); // does nothing now
        assertThat(guard.inspect(List.of(Row.of("Task", 2)))).isNotEmpty();
        assertThatThrownBy(() -> claim.renew(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keeper").hasMessageContaining("released");
        AtomicReference<Claim> next = new AtomicReference<>();
        await("the rows lapse after the keep").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    ClaimResult result = guard.claim(List.of(Row.of("Task", 1), Row.of("Task", 2)));
                    next.set(result.isClaimed() ? result.claim() : null);
                    return result.isClaimed();
                });
        try (Claim after = next.get()) {
            assertThat(after.since()).isAfterOrEqualTo(until);
        }
        assertThat(guard.sweep().rows()).as("the kept claim was taken over, not left behind").isZero();
    }

    @Test
    void badLeaseInputIsRefusedNamingTheOptionAndTheStoreIsUntouched() {
        Claim held = guard.claim(ClaimRequest.builder().operationId("keeper").row("Task", 1)
                .fixedLease(Duration.ofDays(1)).build()).orElseThrow();
        String before = snapshot(namespace);
        assertThatThrownBy(() -> held.renew(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renew(Duration) lease").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> held.renew(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> held.renew(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renew(Duration) lease is null");
        assertThatThrownBy(() -> held.releaseKeeping(Duration.ofDays(31)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("releaseKeeping(Duration) keep")
                .hasMessageContaining("PT744H");
        assertThatThrownBy(() -> held.releaseKeeping(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClaimRequest.builder().fixedLease(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixedLease PT0S");
        assertThatThrownBy(() -> ClaimRequest.builder().row("Task", 2).lease(Duration.ofSeconds(5))
                .fixedLease(Duration.ofSeconds(5)).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease PT5S and fixedLease PT5S are both set");
        assertThatThrownBy(() -> ClaimRequest.builder().mode(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode is null");
        assertThat(snapshot(namespace)).isEqualTo(before);
        held.release();
        assertThatThrownBy(() -> held.renew(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keeper");
        assertThatThrownBy(() -> held.releaseKeeping(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
    }

    // ----- Subtree marks and intentions, through the SPI: the graph a guard would read is spelled out.

    private static final Row P1 = Row.of("Project", 1);
    private static final Row P2 = Row.of("Project", 2);
    private static final Row M10 = Row.of("Milestone", 10);
    private static final Row M11 = Row.of("Milestone", 11);
    private static final Row T7 = Row.of("Task", 7);
    private static final Row T8 = Row.of("Task", 8);

    @Test
    void aSubtreeMarkAndAClaimInsideItConflictInEitherOrder() {
        ClaimOutcome tree = store.claim(marks("op-tree", LEASE, List.of(subtree(P1)), List.of()));
        ClaimOutcome inside = store.claim(marks("op-task", LEASE, List.of(row(T7)), List.of(M10, P1)));
        assertThat(inside.isGranted()).isFalse();
        assertThat(inside.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.row()).isEqualTo(P1);
            assertThat(c.scope()).isEqualTo(Scope.SUBTREE);
            assertThat(c.holder().operationId()).isEqualTo("op-tree");
        });
        assertThat(store.release("op-tree", tree.token())).isEqualTo(1);

        ClaimOutcome task = store.claim(marks("op-task", LEASE, List.of(row(T7)), List.of(M10, P1)));
        assertThat(task.isGranted()).isTrue();
        ClaimOutcome treeAfter = store.claim(marks("op-tree", LEASE, List.of(subtree(P1)), List.of()));
        assertThat(treeAfter.isGranted()).as("something below the root is held").isFalse();
        assertThat(treeAfter.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.row()).isEqualTo(P1);
            assertThat(c.holder().operationId()).isEqualTo("op-task");
        });
        ClaimOutcome sibling = store.claim(marks("op-sibling", LEASE, List.of(subtree(M11)), List.of(P1)));
        assertThat(sibling.isGranted()).as("intentions on a shared ancestor do not conflict").isTrue();
        assertThat(store.claim(marks("op-parent", LEASE, List.of(subtree(M10)), List.of(P1))).isGranted())
                .as("the milestone above the held task").isFalse();
        assertThat(store.release("op-task", task.token())).isEqualTo(1);
        assertThat(store.release("op-sibling", sibling.token())).isEqualTo(1);
        ClaimOutcome free = store.claim(marks("op-tree", LEASE, List.of(subtree(P1)), List.of()));
        assertThat(free.isGranted()).as("releases take their intentions with them").isTrue();
        store.release("op-tree", free.token());
    }

    @Test
    void subtreeMarksAboveAndBelowEachOtherConflictInEitherOrder() {
        ClaimOutcome upper = store.claim(marks("op-upper", LEASE, List.of(subtree(P1)), List.of()));
        assertThat(store.claim(marks("op-lower", LEASE, List.of(subtree(M10)), List.of(P1))).isGranted()).isFalse();
        store.release("op-upper", upper.token());
        ClaimOutcome lower = store.claim(marks("op-lower", LEASE, List.of(subtree(M10)), List.of(P1)));
        assertThat(lower.isGranted()).isTrue();
        assertThat(store.claim(marks("op-upper", LEASE, List.of(subtree(P1)), List.of())).isGranted()).isFalse();
        ClaimOutcome same = store.claim(marks("op-same", LEASE, List.of(row(M10)), List.of(P1)));
        assertThat(same.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.row()).isEqualTo(M10);
            assertThat(c.scope()).as("the holder's mark on that row").isEqualTo(Scope.SUBTREE);
        });
        store.release("op-lower", lower.token());
    }

    @Test
    void marksOnAndHoldersBelowTellWhoHoldsWhatAndHow() {
        ClaimOutcome tree = store.claim(marks("op-tree", LEASE, List.of(subtree(P1)), List.of()));
        ClaimOutcome task = store.claim(marks("op-task", LEASE, List.of(row(T8)), List.of(Row.of("Milestone", 20), P2)));
        Map<Row, RowClaim> marks = store.marksOn(List.of(P1, P2, T8, M10));
        assertThat(marks.keySet()).containsExactly(P1, T8);
        assertThat(marks.get(P1).scope()).isEqualTo(Scope.SUBTREE);
        assertThat(marks.get(P1).holder().operationId()).isEqualTo("op-tree");
        assertThat(marks.get(T8).scope()).isEqualTo(Scope.ROW);
        assertThat(marks.get(T8).within()).isNull();
        Map<Row, List<Holder>> below = store.holdersBelow(List.of(P1, P2, Row.of("Milestone", 20), T8));
        assertThat(below.keySet()).containsExactlyInAnyOrder(P2, Row.of("Milestone", 20));
        assertThat(below.get(P2)).extracting(Holder::operationId).containsExactly("op-task");
        assertThat(store.claimsOf("op-tree")).singleElement()
                .satisfies(c -> assertThat(c.scope()).isEqualTo(Scope.SUBTREE));
        store.release("op-tree", tree.token());
        store.release("op-task", task.token());
        assertThat(store.holdersBelow(List.of(P2))).isEmpty();
    }

    @Test
    void aClaimMayHoldASubtreeAndRowsInsideItAndIntendOnItsOwnMarks() {
        // A data cycle makes a marked row its own ancestor; rows a resolver adds may lie in the claim's own subtree.
        ClaimOutcome own = store.claim(marks("op-own", LEASE, List.of(subtree(P1), row(T7)), List.of(M10, P1)));
        assertThat(own.isGranted()).isTrue();
        assertThat(store.claim(marks("op-other", LEASE, List.of(subtree(M10)), List.of(P1))).isGranted()).isFalse();
        assertThat(store.release("op-own", own.token())).isEqualTo(2);
    }

    @Test
    void aRowWithTwoParentsIsHeldAgainstSubtreesOverEither() {
        Row a = Row.of("Project", 31);
        Row b = Row.of("Team", 32);
        Row shared = Row.of("Task", 33);
        ClaimOutcome held = store.claim(marks("op-shared", LEASE, List.of(row(shared)), List.of(a, b)));
        assertThat(store.claim(marks("op-a", LEASE, List.of(subtree(a)), List.of())).isGranted()).isFalse();
        assertThat(store.claim(marks("op-b", LEASE, List.of(subtree(b)), List.of())).isGranted()).isFalse();
        store.release("op-shared", held.token());
        // Two subtrees sharing a row meet where each marks it (the guard marks such rows inside a subtree).
        ClaimOutcome overA = store.claim(marks("op-a", LEASE, List.of(subtree(a), subtree(shared)), List.of(a, b)));
        assertThat(overA.isGranted()).isTrue();
        assertThat(store.claim(marks("op-b", LEASE, List.of(subtree(b), subtree(shared)), List.of(a, b))).isGranted())
                .isFalse();
        store.release("op-a", overA.token());
    }

    @Test
    void lapsedMarksAndIntentionsBlockNothingAndASweepRemovesThem() {
        ClaimOutcome tree = store.claim(marks("op-tree", SHORT_LEASE, List.of(subtree(P1)), List.of()));
        ClaimOutcome task = store.claim(marks("op-task", SHORT_LEASE, List.of(row(T8)), List.of(M11, P2)));
        awaitLapse("op-tree", tree.token());
        awaitLapse("op-task", task.token());
        ClaimOutcome inside = store.claim(marks("op-inside", LEASE, List.of(row(T7)), List.of(M10, P1)));
        ClaimOutcome over = store.claim(marks("op-over", LEASE, List.of(subtree(P2)), List.of()));
        assertThat(inside.isGranted()).isTrue();
        assertThat(over.isGranted()).isTrue();
        assertThat(guard.sweep()).isEqualTo(new SweepSummary(2, 2));
        assertThat(store.release("op-tree", tree.token())).isZero();
        store.release("op-inside", inside.token());
        store.release("op-over", over.token());
    }

    @Test
    void aRenewalKeepsTheIntentionsOfAClaimLive() {
        ClaimOutcome task = store.claim(marks("op-task", SHORT_LEASE, List.of(row(T7)), List.of(M10, P1)));
        assertThat(store.renew("op-task", task.token(), LEASE)).isPresent();
        ClaimOutcome probe = store.claim(marks("op-probe", SHORT_LEASE, List.of(row(T8)), List.of()));
        awaitLapse("op-probe", probe.token());
        assertThat(store.claim(marks("op-tree", LEASE, List.of(subtree(P1)), List.of())).isGranted())
                .as("the renewed claim still holds a row below").isFalse();
        assertThat(guard.forceRelease("op-task")).isEqualTo(1);
        ClaimOutcome tree = store.claim(marks("op-tree", LEASE, List.of(subtree(P1)), List.of()));
        assertThat(tree.isGranted()).as("force release takes the intentions").isTrue();
        store.release("op-tree", tree.token());
        store.release("op-probe", probe.token());
    }

    private static Mark subtree(Row row) {
        return new Mark(row, Scope.SUBTREE);
    }

    private static Mark row(Row row) {
        return new Mark(row, Scope.ROW);
    }

    /** A claim of marks with intentions, straight through the SPI. */
    protected static ClaimSpec marks(String operationId, Duration lease, List<Mark> marks, List<Row> ancestors) {
        return new ClaimSpec(operationId, null, null, new ArrayList<>(new java.util.TreeSet<>(marks)),
                new ArrayList<>(new java.util.TreeSet<>(ancestors)), lease);
    }

    /** A claim straight through the SPI: nobody renews it, like a holder that stopped. */
    protected static ClaimSpec spec(String operationId, Duration lease, Row... rows) {
        return new ClaimSpec(operationId, null, null, new ArrayList<>(new java.util.TreeSet<>(List.of(rows))), lease);
    }

    protected void awaitLapse(String operationId, long token) {
        await("lease of " + operationId + " lapses").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> !store.holds(operationId, token));
    }

    // Fair waiting: claims that wait for overlapping rows go in the order they first asked.

    /** Waits until a claim of {@code rows} is refused naming {@code operationId} as waiting ahead of it. */
    private void awaitWaiting(List<Row> rows, String operationId) {
        await("operation " + operationId + " waits in the queue").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5)).until(() -> {
                    ClaimResult probe = guard.claim(ClaimRequest.builder().rows(rows).build());
                    if (probe.isClaimed()) {
                        probe.claim().release();
                        return false;
                    }
                    return probe.conflicts().stream().anyMatch(c -> c.holder().waiting()
                            && c.holder().operationId().equals(operationId));
                });
    }


    @Test
    void waitersForOverlappingRowsAreGrantedInTheOrderTheyArrivedAcrossNodes() throws Exception {
        assertThat(store.queuesWaiters()).as("the store keeps a queue of waiting claims").isTrue();
        ClaimStore otherStore = newStore(namespace);
        try (otherStore; ConflictGuard other = ConflictGuard.builder().store(otherStore)
                .setting(ConfigKeys.LEASE, "30s").setting(ConfigKeys.SWEEP_INTERVAL, "off").build()) {
            Claim blocker = guard.claim(ClaimRequest.builder().operationId("blocker").row("Task", 1).row("Task", 2)
                    .row("Task", 3).build()).orElseThrow();
            List<Integer> granted = new CopyOnWriteArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    ConflictGuard node = n % 2 == 0 ? guard : other;
                    // Every waiter wants Task 1; each also wants rows some others want, and one of its own.
                    List<Row> rows = List.of(Row.of("Task", 1), Row.of("Task", 2 + n % 2), Row.of("Task", 100 + n));
                    waiters.add(pool.submit(() -> {
                        try (Claim claim = node.claim(ClaimRequest.builder().operationId("waiter-" + n).rows(rows)
                                .waitUpTo(Duration.ofSeconds(60)).build()).orElseThrow()) {
                            granted.add(n);
                        }
                        return null;
                    }));
                    awaitWaiting(List.of(Row.of("Task", 1)), "waiter-" + n);
                }
                blocker.release();
                for (Future<?> waiter : waiters) {
                    waiter.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(granted).as("the order claims were granted in").containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        }
    }

    @Test
    void sharedWaitersInARowGoTogetherAndNoLaterSharedClaimJumpsAnExclusiveWaiter() throws Exception {
        List<Row> rows = List.of(Row.of("Task", 1));
        Claim blocker = guard.claim(ClaimRequest.builder().operationId("blocker").rows(rows).build()).orElseThrow();
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch sharedTogether = new CountDownLatch(2);
        AtomicInteger apartTooLong = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> waiters = new ArrayList<>();
        try {
            for (String name : List.of("s1", "s2", "x3", "s4")) {
                ClaimRequest.Builder request = ClaimRequest.builder().operationId(name).rows(rows)
                        .waitUpTo(Duration.ofSeconds(60));
                if (name.startsWith("s")) {
                    request.shared();
                }
                waiters.add(pool.submit(() -> {
                    Claim claim = guard.claim(request.build()).orElseThrow();
                    events.add("+" + name);
                    if (name.equals("s1") || name.equals("s2")) {
                        // Both shared waiters hold the row at once before either lets it go.
                        sharedTogether.countDown();
                        if (!sharedTogether.await(30, TimeUnit.SECONDS)) {
                            apartTooLong.incrementAndGet();
                        }
                    }
                    events.add("-" + name);
                    claim.release();
                    return null;
                }));
                awaitWaiting(rows, name);
            }
            blocker.release();
            for (Future<?> waiter : waiters) {
                waiter.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(apartTooLong).as("shared waiters next to each other in the queue held the row together").hasValue(0);
        assertThat(events.indexOf("+x3")).as("the exclusive waiter goes after both shared ones: %s", events)
                .isGreaterThan(events.indexOf("-s1")).isGreaterThan(events.indexOf("-s2"));
        assertThat(events.indexOf("+s4")).as("the later shared waiter does not jump the exclusive one: %s", events)
                .isGreaterThan(events.indexOf("-x3"));
    }

    @Test
    void aPlaceKeepsLaterClaimsOffUntilItsWaiterGivesItUpOrStopsAsking() {
        List<Row> rows = List.of(Row.of("Task", 1), Row.of("Task", 2));
        // A waiter that gives up its place: the rows are free at once.
        Claim blocker = guard.claim(ClaimRequest.builder().rows(rows).build()).orElseThrow();
        ClaimOutcome refused = store.claim(new ClaimSpec("gives-up", "nightly", "bob", rows, LEASE),
                new org.conflictguard.spi.QueuePlace(0, Duration.ofSeconds(30)));
        assertThat(refused.isGranted()).isFalse();
        assertThat(refused.ticket()).isPositive();
        blocker.release();
        ClaimResult behind = guard.claim(ClaimRequest.builder().row("Task", 2).build());
        assertThat(behind.isClaimed()).as("a claim behind a waiting one").isFalse();
        assertThat(behind.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.row()).isEqualTo(Row.of("Task", 2));
            assertThat(c.holder().waiting()).isTrue();
            assertThat(c.holder().operationId()).isEqualTo("gives-up");
            assertThat(c.holder().label()).isEqualTo("nightly");
            assertThat(c.toString()).contains("is awaited by operation 'gives-up' (label 'nightly') waiting ahead"
                    + " in the queue for user 'bob'");
        });
        assertThat(guard.inspect(rows)).as("a place claims nothing").isEmpty();
        store.leaveQueue(refused.ticket());
        guard.claim(ClaimRequest.builder().rows(rows).build()).orElseThrow().release();

        // A waiter that stops asking: its place lapses.
        blocker = guard.claim(ClaimRequest.builder().rows(rows).build()).orElseThrow();
        ClaimOutcome stopped = store.claim(new ClaimSpec("stops-asking", null, null, rows, LEASE),
                new org.conflictguard.spi.QueuePlace(0, Duration.ofSeconds(2)));
        assertThat(stopped.ticket()).isPositive();
        blocker.release();
        await("the place lapses").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            ClaimResult result = guard.claim(ClaimRequest.builder().rows(rows).build());
            if (result.isClaimed()) {
                result.claim().release();
                return true;
            }
            assertThat(result.conflicts()).allSatisfy(c -> assertThat(c.holder().operationId()).isEqualTo("stops-asking"));
            return false;
        });
        store.sweep();
    }

    @Test
    void operationsListsTheLiveClaimsInTheOrderTheyWereMade() {
        assertThat(guard.operations()).isEmpty();
        try (Claim archive = guard.claim(ClaimRequest.builder().operationId("op-archive").label("bulk-archive")
                .user("alice").row("Task", 1).row("Task", 2).row("Project", 7).build()).orElseThrow();
                Claim report = guard.claim(ClaimRequest.builder().operationId("op-report").shared()
                        .row("Task", 9).build()).orElseThrow()) {
            ClaimOutcome lapsed = store.claim(new ClaimSpec("op-lapsed", null, null, List.of(Row.of("Task", 20)),
                    Duration.ofMillis(1)));
            assertThat(lapsed.isGranted()).isTrue();
            await("the 1 ms lease lapses").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> guard.inspect(List.of(Row.of("Task", 20))).isEmpty());
            List<org.conflictguard.LiveOperation> live = guard.operations();
            assertThat(live).extracting(o -> o.holder().operationId()).containsExactly("op-archive", "op-report");
            assertThat(live.get(0).marks()).isEqualTo(3);
            assertThat(live.get(0).holder().label()).isEqualTo("bulk-archive");
            assertThat(live.get(0).holder().user()).isEqualTo("alice");
            assertThat(live.get(0).holder().since()).isEqualTo(archive.since());
            assertThat(live.get(0).holder().mode()).isEqualTo(org.conflictguard.ClaimMode.EXCLUSIVE);
            assertThat(live.get(1).marks()).isEqualTo(1);
            assertThat(live.get(1).holder().mode()).isEqualTo(org.conflictguard.ClaimMode.SHARED);
            assertThat(live.get(1).holder().leaseUntil()).isEqualTo(report.leaseUntil());
            store.sweep();
        }
        assertThat(guard.operations()).isEmpty();
    }
}
