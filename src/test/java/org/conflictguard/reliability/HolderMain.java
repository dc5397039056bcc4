package org.conflictguard.reliability;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.ReleaseOutcome;
import org.conflictguard.Row;
import org.conflictguard.graph.Milestone;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Task;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;
import org.conflictguard.support.Writes;

/**
 * A holder in a process of its own. It keeps its entities in an in-memory H2 database of its
 * own (Project 1, Milestone 10, Tasks 1 to 3), claims Project 1 with its dependents in the shared
 * store, says {@code CLAIMED <token> <leaseUntil>} on standard output, then answers commands on
 * standard input until it is killed: {@code WRITE} (a bound write of Task 1: {@code WROTE} or
 * {@code REFUSED <own claim lost>}), {@code RENEW}, {@code HELD}, {@code RELEASE},
 * {@code KEEP <ms>} (release keeping the rows that long: {@code KEPT <lapses at, epoch ms>}). Arguments:
 * {@code redis <address> <namespace> <leaseMs>} or
 * {@code jdbc <url> <user> <password> <namespace> <leaseMs>}.
 */
public final class HolderMain {

    /** The row the holder claims with its subtree: one mark. */
    static final Row ROOT = Row.of("Project", 1);

    /** The rows the holder's claim covers. */
    static final List<Row> ROWS = List.of(Row.of("Milestone", 10), Row.of("Project", 1), Row.of("Task", 1),
            Row.of("Task", 2), Row.of("Task", 3));

    private HolderMain() {
    }

    public static void main(String[] args) throws Exception {
        ClaimStore store;
        int at;
        if (args[0].equals("redis")) {
            store = RedisClaimStore.create(TestRedis.connect(args[1]), args[2]);
            at = 3;
        } else {
            store = JpaClaimStore.create(Persistence.createEntityManagerFactory("conflictguard-test", Map.of(
                    "jakarta.persistence.jdbc.url", args[1], "jakarta.persistence.jdbc.user", args[2],
                    "jakarta.persistence.jdbc.password", args[3])), args[4]);
            at = 5;
        }
        EntityManagerFactory tracker = Persistence.createEntityManagerFactory("tracker",
                Map.of("jakarta.persistence.jdbc.url", "jdbc:h2:mem:holder;DB_CLOSE_DELAY=-1"));
        Writes.inTransaction(tracker, em -> {
            Project project = new Project(1, "p");
            Milestone milestone = new Milestone(10, "m", project);
            em.persist(project);
            em.persist(milestone);
            for (long t = 1; t <= 3; t++) {
                em.persist(new Task(t, "t", milestone));
            }
        });
        ConflictGuard guard = ConflictGuard.builder().store(store).dependencies(tracker)
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
        Claim claim = guard.claim(ClaimRequest.builder().operationId("holder").label("other-process")
                .lease(Duration.ofMillis(Long.parseLong(args[at]))).row("Project", 1).build()).orElseThrow();
        say("CLAIMED " + claim.token() + " " + claim.leaseUntil().toEpochMilli());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = in.readLine(); command != null; command = in.readLine()) {
            switch (command) {
                case "WRITE" -> {
                    try (Claim.Binding bound = claim.bind()) {
                        // A new title each time: an unchanged entity is not updated and runs no callback.
                        String title = "by the holder at " + System.nanoTime();
                        Writes.inTransaction(tracker, em -> em.find(Task.class, 1L).title = title);
                        say("WROTE");
                    } catch (RuntimeException e) {
                        WriteRefusedException refused = findRefusal(e);
                        say(refused == null ? "FAILED " + e : "REFUSED " + refused.isOwnClaimLost());
                    }
                }
                case "RENEW" -> say("RENEWED " + claim.renew());
                case "HELD" -> say("HELD " + claim.isHeld());
                case "RELEASE" -> {
                    ReleaseOutcome outcome = claim.release();
                    say("RELEASED " + outcome.released() + " " + outcome.lost());
                }
                default -> {
                    if (command.startsWith("KEEP ")) {
                        say("KEPT " + claim.releaseKeeping(Duration.ofMillis(Long.parseLong(command.substring(5))))
                                .map(i -> Long.toString(i.toEpochMilli())).orElse("LOST"));
                    } else {
                        say("UNKNOWN " + command);
                    }
                }
            }
        }
    }

    private static WriteRefusedException findRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WriteRefusedException refused) {
                return refused;
            }
        }
        return null;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
