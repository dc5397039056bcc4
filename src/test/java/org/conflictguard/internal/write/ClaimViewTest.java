package org.conflictguard.internal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's view of the claims against the store itself, on random histories: the store's exact
 * answer ({@code marksOn} of the row and its ancestors, what every write check asked before the
 * view) is the oracle. A row the oracle finds covered is never answered {@code FREE}, at once for
 * claims granted on the view's node and as soon as the view is current for the others; once
 * current, every row no kept claim marks is {@code FREE}. Subclassed per store.
 */
public abstract class ClaimViewTest {

    /** Projects 1-3, milestones 1-6 (two per project), tasks 1-12 (two per milestone). */
    private static final Map<Row, Row> PARENT = new HashMap<>();
    private static final List<Row> UNIVERSE = new ArrayList<>();

    static {
        for (int p = 1; p <= 3; p++) {
            UNIVERSE.add(Row.of("Project", p));
        }
        for (int m = 1; m <= 6; m++) {
            Row milestone = Row.of("Milestone", m);
            UNIVERSE.add(milestone);
            PARENT.put(milestone, Row.of("Project", (m + 1) / 2));
        }
        for (int t = 1; t <= 12; t++) {
            Row task = Row.of("Task", t);
            UNIVERSE.add(task);
            PARENT.put(task, Row.of("Milestone", (t + 1) / 2));
        }
    }

    private String namespace;
    private ClaimStore claimer;
    private ClaimStore viewed;
    private ClaimView view;
    private final List<String> switches = new CopyOnWriteArrayList<>();
    /** The marks of every claim granted in the history, as granted. */
    private final Map<Long, List<Mark>> grantedMarks = new HashMap<>();

    /** A store in this namespace, as another node would open it. */
    protected abstract ClaimStore newStore(String namespace);

    /** How many steps a random history has. */
    protected int steps() {
        return 120;
    }

    @BeforeEach
    void open() {
        namespace = "v" + Long.toHexString(System.nanoTime());
        claimer = newStore(namespace);
        viewed = newStore(namespace);
    }

    @AfterEach
    void close() throws Exception {
        if (view != null) {
            view.close();
        }
        for (RowClaim left : claimer.marksOn(UNIVERSE).values()) {
            claimer.forceRelease(left.holder().operationId());
        }
        claimer.sweep();
        claimer.close();
        viewed.close();
    }

    private ClaimView startView(int maxMarks) {
        view = new ClaimView(viewed, maxMarks, Duration.ofMillis(1), (trusted, why) -> switches.add(trusted + " " + why));
        view.start();
        await("the view is current").atMost(Duration.ofSeconds(10)).until(() -> {
            view.check(List.of(Row.of("Project", 99)));
            return view.isCurrent();
        });
        return view;
    }

    @Test
    void onRandomHistoriesTheViewNeverPassesACoveredRowAndPassesEveryOtherOnceCurrent() {
        startView(1000);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<Long, String> operations = new HashMap<>();
        int granted = 0;
        for (int step = 0; step < steps(); step++) {
            int action = random.nextInt(10);
            if (action < 5 || operations.isEmpty()) {
                List<Mark> marks = randomMarks(random);
                String op = "op" + step;
                boolean here = random.nextBoolean();
                Duration lease = random.nextInt(8) == 0 ? Duration.ofMillis(300) : Duration.ofSeconds(30);
                ClaimOutcome outcome = claimer.claim(new ClaimSpec(op, null, null, marks, ancestorsOf(marks), lease));
                if (outcome.isGranted()) {
                    granted++;
                    grantedMarks.put(outcome.token(), marks);
                    operations.put(outcome.token(), op);
                    if (here) {
                        // As the guard does for its own claims, before they are returned.
                        view.grantedHere(outcome.token(), marks);
                        assertSound("at once after a claim on the view's node (seed " + seed + ", step " + step + ")");
                    }
                }
            } else if (action < 8) {
                Long token = new ArrayList<>(operations.keySet()).get(random.nextInt(operations.size()));
                claimer.release(operations.remove(token), token);
            } else if (action < 9) {
                Long token = new ArrayList<>(operations.keySet()).get(random.nextInt(operations.size()));
                claimer.forceRelease(operations.remove(token));
            } else {
                claimer.sweep();
            }
            awaitCurrent();
            assertSound("once current (seed " + seed + ", step " + step + ")");
            assertPrecise("once current (seed " + seed + ", step " + step + ")");
        }
        assertThat(granted).as("claims granted in the history").isGreaterThan(steps() / 5);
    }

    @Test
    void aClaimLargerThanTheBudgetMakesItsEntitiesAskTheStoreWhileItIsKept() {
        startView(3);
        ClaimOutcome small = claimer.claim(new ClaimSpec("small", null, null, List.of(row("Project", 3)), List.of(),
                Duration.ofSeconds(30)));
        List<Mark> many = List.of(row("Task", 1), row("Task", 2), row("Task", 3), row("Task", 4));
        ClaimOutcome large = claimer.claim(new ClaimSpec("large", null, null, many, List.of(), Duration.ofSeconds(30)));
        awaitCurrent();
        assertThat(view.check(List.of(Row.of("Task", 9), Row.of("Milestone", 5), Row.of("Project", 3))))
                .as("an unclaimed task of an entity the view cannot keep").isEqualTo(ClaimView.Answer.ASK_STORE);
        assertThat(view.check(List.of(Row.of("Milestone", 1), Row.of("Project", 1))))
                .as("another entity").isEqualTo(ClaimView.Answer.FREE);
        assertThat(view.check(List.of(Row.of("Project", 3)))).isEqualTo(ClaimView.Answer.ASK_STORE);
        assertThat(view.marks()).isEqualTo(1);
        claimer.release("large", large.token());
        awaitCurrent();
        assertThat(view.check(List.of(Row.of("Task", 9), Row.of("Milestone", 5), Row.of("Project", 2))))
                .isEqualTo(ClaimView.Answer.FREE);
        claimer.release("small", small.token());
    }

    @Test
    void anInterruptionMakesEveryCheckAskTheStoreUntilTheViewIsReadAgain() {
        startView(1000);
        List<Row> free = List.of(Row.of("Task", 5), Row.of("Milestone", 3), Row.of("Project", 2));
        assertThat(view.check(free)).isEqualTo(ClaimView.Answer.FREE);
        view.interrupted("a test cut the feed");
        assertThat(view.check(free)).isEqualTo(ClaimView.Answer.ASK_STORE);
        // Granted while the feed is down: only a reload can tell the view.
        ClaimOutcome missed = claimer.claim(new ClaimSpec("missed", null, null, List.of(row("Task", 5)), List.of(),
                Duration.ofSeconds(30)));
        view.resumed();
        awaitCurrent();
        assertThat(view.check(free)).as("the reload read the claim made meanwhile")
                .isEqualTo(ClaimView.Answer.ASK_STORE);
        assertThat(switches).as("each switch told once").containsSubsequence("false a test cut the feed");
        claimer.release("missed", missed.token());
    }

    private void awaitCurrent() {
        await("the view knows what the store keeps").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
                .until(() -> {
                    // Where the store cannot push, a check is what reads the store.
                    view.check(List.of(Row.of("Project", 99)));
                    return view.isCurrent() && view.tokens().equals(claimer.claimTokens().orElseThrow());
                });
    }

    private void assertSound(String when) {
        for (Row row : UNIVERSE) {
            List<Row> rows = withAncestors(row);
            boolean covered = coveredLive(rows);
            if (covered) {
                assertThat(view.check(rows)).as("%s: %s is covered", when, row).isEqualTo(ClaimView.Answer.ASK_STORE);
            }
        }
    }

    /**
     * Once current, the view marks what the kept claims mark: every row the store's records of
     * them cover is asked of the store, and every row none of their marks as granted covers is
     * free. In between lie rows of a lapsed claim that another claim took over and then left: the
     * store's record of the lapsed claim shrank, the view may still hold it as it was (asking the
     * store for those rows costs a round trip, never safety).
     */
    private void assertPrecise(String when) {
        Set<Long> keptTokens = claimer.claimTokens().orElseThrow();
        List<Mark> kept = new ArrayList<>();
        claimer.claimRecords(keptTokens, Integer.MAX_VALUE).forEach(r -> kept.addAll(r.marks()));
        List<Mark> asGranted = new ArrayList<>();
        keptTokens.forEach(t -> asGranted.addAll(grantedMarks.getOrDefault(t, List.of())));
        for (Row row : UNIVERSE) {
            List<Row> rows = withAncestors(row);
            ClaimView.Answer answer = view.check(rows);
            if (covers(kept, rows)) {
                assertThat(answer).as("%s: %s is marked", when, row).isEqualTo(ClaimView.Answer.ASK_STORE);
            } else if (!covers(asGranted, rows)) {
                assertThat(answer).as("%s: %s was never marked by a kept claim", when, row)
                        .isEqualTo(ClaimView.Answer.FREE);
            }
        }
    }

    private static boolean covers(List<Mark> marks, List<Row> rows) {
        for (Mark mark : marks) {
            if (mark.row().equals(rows.get(0))
                    || mark.scope() == Scope.SUBTREE && rows.subList(1, rows.size()).contains(mark.row())) {
                return true;
            }
        }
        return false;
    }

    /** The oracle: a live mark on the row, or a live subtree mark on an ancestor. */
    private boolean coveredLive(List<Row> rows) {
        Map<Row, RowClaim> marks = claimer.marksOn(rows);
        if (marks.containsKey(rows.get(0))) {
            return true;
        }
        for (Row ancestor : rows.subList(1, rows.size())) {
            RowClaim mark = marks.get(ancestor);
            if (mark != null && mark.scope() == Scope.SUBTREE) {
                return true;
            }
        }
        return false;
    }

    private static List<Mark> randomMarks(Random random) {
        TreeSet<Mark> marks = new TreeSet<>();
        int n = 1 + random.nextInt(3);
        while (marks.size() < n) {
            Row row = UNIVERSE.get(random.nextInt(UNIVERSE.size()));
            marks.add(new Mark(row, random.nextInt(3) == 0 ? Scope.SUBTREE : Scope.ROW));
        }
        return new ArrayList<>(marks);
    }

    private static List<Row> ancestorsOf(List<Mark> marks) {
        TreeSet<Row> ancestors = new TreeSet<>();
        for (Mark mark : marks) {
            List<Row> up = withAncestors(mark.row());
            ancestors.addAll(up.subList(1, up.size()));
        }
        return new ArrayList<>(ancestors);
    }

    /** The row, then its ancestors, nearest first. */
    private static List<Row> withAncestors(Row row) {
        List<Row> rows = new ArrayList<>();
        for (Row at = row; at != null; at = PARENT.get(at)) {
            rows.add(at);
        }
        return rows;
    }

    private static Mark row(String entity, long id) {
        return new Mark(Row.of(entity, id), Scope.ROW);
    }
}
