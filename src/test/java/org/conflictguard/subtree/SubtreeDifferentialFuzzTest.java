package org.conflictguard.subtree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.conflictguard.Claim;
import org.conflictguard.ClaimMode;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.graph.Node;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.ObservedStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.Writes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Subtree claims decide exactly what enumerating every row decided, on the same history. Random
 * forests of {@link Node}s (depth 1 to 4, fan-out 1 to 50); several threads take turns at random
 * steps: claims of rows and subtrees, releases, claims left to lapse, plain writes and
 * re-parentings. Each step runs on the subject (a guard with the dependency graph: subtree marks
 * and intentions) and on the oracle (the same store, another namespace, claiming every row of
 * the expansion alone, as the store did before subtree marks), and their decisions must be equal:
 * granted or refused, and which rows were reported held by which operation. A write or a move is
 * refused by the subject exactly when the oracle holds a row it touches. Claims are shared or
 * exclusive at random (the oracle claims its rows in the same mode), so the subject's intentions
 * must follow the mode matrix exactly where the oracle's rows meet. No row ever has an exclusive
 * holder beside another, and nothing is left at the end. Runs {@code -Dconflictguard.fuzz.seconds} (3 by
 * default) per store. Subclassed per store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SubtreeDifferentialFuzzTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration LAPSING = Duration.ofMillis(150);

    protected TestDatabase db;
    private EntityManagerFactory tracker;
    private final List<Long> nodes = new ArrayList<>();
    /** Nodes by depth: roots first. Claims and moves favour the upper levels, where claims meet. */
    private final List<List<Long>> levels = new ArrayList<>();

    /** A claim store in this namespace. */
    protected abstract ClaimStore newStore(String namespace);

    /** What the store still keeps for this namespace (0 when clean). */
    protected abstract long leftovers(String namespace);

    @BeforeAll
    void growForest() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        tracker = db.unit("tracker");
        Random random = new Random(7);
        Writes.inTransaction(tracker, em -> {
            long next = 1_000;
            for (int tree = 0; tree < 3; tree++) {
                Node root = new Node(next++, null);
                em.persist(root);
                add(0, root.id);
                List<Node> level = List.of(root);
                int depth = 1 + random.nextInt(4);
                for (int d = 1; d < depth; d++) {
                    List<Node> below = new ArrayList<>();
                    for (Node parent : level) {
                        int fanOut = 1 + random.nextInt(Math.max(1, Math.min(50, 300 / level.size())));
                        for (int c = 0; c < fanOut; c++) {
                            Node child = new Node(next++, parent);
                            em.persist(child);
                            add(d, child.id);
                            below.add(child);
                        }
                    }
                    level = below;
                }
            }
        });
    }

    private void add(int depth, long node) {
        nodes.add(node);
        while (levels.size() <= depth) {
            levels.add(new ArrayList<>());
        }
        levels.get(depth).add(node);
    }

    /** A random node: a root a third of the time, a child of a root a third, any node the rest. */
    private long pick(Random random) {
        int dice = random.nextInt(3);
        List<Long> from = dice < 2 && levels.size() > dice && !levels.get(dice).isEmpty() ? levels.get(dice) : nodes;
        return from.get(random.nextInt(from.size()));
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @Test
    void subtreeClaimsDecideWhatEnumeratingEveryRowDecided() throws Exception {
        String subjectNamespace = "fs" + Long.toHexString(System.nanoTime());
        String oracleNamespace = "fo" + Long.toHexString(System.nanoTime());
        ClaimStore subjectStore = newStore(subjectNamespace);
        ClaimStore oracleStore = newStore(oracleNamespace);
        ObservedStore lapsingSubject = new ObservedStore(subjectStore);
        ObservedStore lapsingOracle = new ObservedStore(oracleStore);
        lapsingSubject.stallRenewals();
        lapsingOracle.stallRenewals();
        Duration duration = Duration.ofSeconds(Long.getLong("conflictguard.fuzz.seconds", 3));
        ReentrantLock history = new ReentrantLock(true);
        List<String> mismatches = new CopyOnWriteArrayList<>();
        Map<String, Claim[]> live = new HashMap<>();
        AtomicLong steps = new AtomicLong();
        AtomicLong granted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong writesRefused = new AtomicLong();
        AtomicLong movesDone = new AtomicLong();
        AtomicLong movesRefused = new AtomicLong();
        AtomicLong lapses = new AtomicLong();
        try (ConflictGuard subject = ConflictGuard.builder().store(subjectStore).dependencies(tracker)
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
                ConflictGuard oracle = ConflictGuard.builder().store(oracleStore)
                        .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
                ConflictGuard subjectLapsing = ConflictGuard.builder().store(lapsingSubject).dependencies(tracker)
                        .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
                ConflictGuard oracleLapsing = ConflictGuard.builder().store(lapsingOracle)
                        .setting(ConfigKeys.SWEEP_INTERVAL, "off").build()) {
            long deadline = System.nanoTime() + duration.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    Random random = new Random(100 + w);
                    workers.add(pool.submit(() -> {
                        int op = 0;
                        while (System.nanoTime() < deadline) {
                            history.lock();
                            try {
                                steps.incrementAndGet();
                                int dice = random.nextInt(100);
                                if (dice < 40 || live.isEmpty()) {
                                    String id = "w" + Thread.currentThread().getId() + "-" + op++;
                                    boolean lapsing = dice < 2;
                                    claim(lapsing ? subjectLapsing : subject, lapsing ? oracleLapsing : oracle, id,
                                            random, lapsing, live, mismatches, granted, refused);
                                    if (lapsing && live.containsKey(id)) {
                                        awaitLapse(live.get(id));
                                        lapses.incrementAndGet();
                                    }
                                } else if (dice < 65) {
                                    String id = new ArrayList<>(new TreeSet<>(live.keySet()))
                                            .get(random.nextInt(live.size()));
                                    Claim[] pair = live.remove(id);
                                    pair[0].release();
                                    pair[1].release();
                                } else if (dice < 85) {
                                    write(oracle, random, live, mismatches, writesRefused);
                                } else {
                                    move(subject, oracle, random, mismatches, movesDone, movesRefused);
                                }
                                checkNoDoubleHolder(subject, live, mismatches);
                            } finally {
                                history.unlock();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get(duration.toSeconds() + 300, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                lapsingSubject.resumeRenewals();
                lapsingOracle.resumeRenewals();
            }
            for (Claim[] pair : live.values()) {
                pair[0].release();
                pair[1].release();
            }
            subject.sweep();
            oracle.sweep();
            System.err.printf("[conflictguard-tests] subtree fuzz on %s: %d steps, %d granted, %d refused, %d writes"
                    + " refused, %d moves (%d refused), %d lapses, %d mismatches%n", subjectStore.description(),
                    steps.get(), granted.get(), refused.get(), writesRefused.get(), movesDone.get() + movesRefused.get(),
                    movesRefused.get(), lapses.get(), mismatches.size());
            assertThat(mismatches).isEmpty();
            assertThat(granted.get()).isPositive();
            assertThat(refused.get()).isPositive();
        }
        assertThat(leftovers(subjectNamespace)).isZero();
        assertThat(leftovers(oracleNamespace)).isZero();
    }

    private void claim(ConflictGuard subject, ConflictGuard oracle, String id, Random random, boolean lapsing,
            Map<String, Claim[]> live, List<String> mismatches, AtomicLong granted, AtomicLong refused) {
        List<Row> named = new ArrayList<>();
        for (int i = 1 + (random.nextInt(5) == 0 ? 1 : 0); i > 0; i--) {
            named.add(Row.of("Node", pick(random)));
        }
        boolean dependents = random.nextInt(10) < 7;
        Duration lease = lapsing ? LAPSING : LEASE;
        ClaimMode mode = random.nextInt(5) < 2 ? ClaimMode.SHARED : ClaimMode.EXCLUSIVE;
        ClaimResult mine = subject.claim(ClaimRequest.builder().operationId(id).rows(named).dependents(dependents)
                .lease(lease).mode(mode).build());
        List<Row> enumerated = dependents ? subject.expand(named) : named;
        ClaimResult theirs = oracle.claim(ClaimRequest.builder().operationId(id).rows(enumerated).dependents(false)
                .lease(lease).mode(mode).build());
        if (mine.isClaimed() != theirs.isClaimed()) {
            mismatches.add(mode + " claim " + id + " of " + named + (dependents ? " with dependents" : "") + ": subject "
                    + (mine.isClaimed() ? "granted" : "refused " + mine.conflicts()) + ", oracle "
                    + (theirs.isClaimed() ? "granted" : "refused " + theirs.conflicts()));
        } else if (!mine.isClaimed() && !held(mine.conflicts()).equals(held(theirs.conflicts()))) {
            mismatches.add("claim " + id + " of " + named + ": subject reports " + held(mine.conflicts())
                    + ", oracle " + held(theirs.conflicts()));
        }
        if (mine.isClaimed() && theirs.isClaimed()) {
            live.put(id, new Claim[] {mine.claim(), theirs.claim()});
            granted.incrementAndGet();
        } else {
            if (mine.isClaimed()) {
                mine.claim().release();
            }
            if (theirs.isClaimed()) {
                theirs.claim().release();
            }
            refused.incrementAndGet();
        }
    }

    private void write(ConflictGuard oracle, Random random, Map<String, Claim[]> live, List<String> mismatches,
            AtomicLong writesRefused) {
        long node = nodes.get(random.nextInt(nodes.size()));
        if (random.nextBoolean() && !live.isEmpty()) {
            // Half the writes aim at a row some claim covers, as a stranger would.
            List<Row> covered = live.get(new ArrayList<>(new TreeSet<>(live.keySet())).get(random.nextInt(live.size())))[1]
                    .rows();
            node = Long.parseLong(covered.get(random.nextInt(covered.size())).id());
        }
        long target = node;
        boolean held = !oracle.inspect(List.of(Row.of("Node", target))).isEmpty();
        String label = "w" + System.nanoTime();
        boolean wasRefused = refusedBySubject(() -> Writes.inTransaction(tracker,
                em -> em.find(Node.class, target).label = label));
        if (held != wasRefused) {
            mismatches.add("write of Node " + target + ": held by the oracle " + held + ", refused by the subject "
                    + wasRefused);
        }
        if (wasRefused) {
            writesRefused.incrementAndGet();
        }
    }

    private void move(ConflictGuard subject, ConflictGuard oracle, Random random, List<String> mismatches,
            AtomicLong done, AtomicLong wasRefused) {
        long node = pick(random);
        long parent = nodes.get(random.nextInt(nodes.size()));
        if (parent == node) {
            return;
        }
        Long current = Writes.find(tracker, Node.class, node, n -> n.parent == null ? null : n.parent.id);
        if (current != null && current == parent) {
            return;
        }
        // What enumeration decides: the row, a row below it, or the new parent held by anyone.
        List<Row> touched = new ArrayList<>(subject.expand(List.of(Row.of("Node", node))));
        touched.add(Row.of("Node", parent));
        boolean held = !oracle.inspect(touched).isEmpty();
        boolean refusedBySubject = refusedBySubject(() -> Writes.inTransaction(tracker,
                em -> em.find(Node.class, node).parent = em.find(Node.class, parent)));
        if (held != refusedBySubject) {
            mismatches.add("move of Node " + node + " under Node " + parent + ": held by the oracle " + held
                    + " (" + oracle.inspect(touched).keySet() + "), refused by the subject " + refusedBySubject);
        }
        (refusedBySubject ? wasRefused : done).incrementAndGet();
    }

    private void checkNoDoubleHolder(ConflictGuard subject, Map<String, Claim[]> live, List<String> mismatches) {
        Map<Row, String> holders = new HashMap<>();
        for (Map.Entry<String, Claim[]> claim : live.entrySet()) {
            Claim oracle = claim.getValue()[1];
            if (!oracle.isHeld()) {
                continue;
            }
            String who = claim.getKey() + " (" + oracle.mode() + ")";
            for (Row row : oracle.rows()) {
                String other = holders.putIfAbsent(row, who);
                if (other != null && !(oracle.mode() == ClaimMode.SHARED && other.endsWith("(SHARED)"))) {
                    mismatches.add("double hold of " + row + " by " + who + " and " + other);
                }
            }
        }
    }

    private static void awaitLapse(Claim[] pair) {
        await("a claim left to lapse lapses").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> !pair[0].isHeld() && !pair[1].isHeld());
    }

    private static boolean refusedBySubject(Runnable write) {
        try {
            write.run();
            return false;
        } catch (RuntimeException e) {
            if (WriteRefusedException.findIn(e).isPresent()) {
                return true;
            }
            throw e;
        }
    }

    /** Held rows by holder; a row several shared claims hold is named once, as shared (the subject names one of them). */
    private static Set<String> held(List<RowClaim> conflicts) {
        return conflicts.stream().map(c -> c.row() + " by " + (c.holder().mode() == ClaimMode.SHARED ? "shared claims"
                : c.holder().operationId())).collect(Collectors.toCollection(TreeSet::new));
    }
}
