package org.conflictguard.example.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.conflictguard.ConflictGuard;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.Row;
import org.junit.jupiter.api.Test;

/**
 * WildFly on Redis, killed (SIGKILL) in the middle of the bulk operation: its claims stay until
 * their lease ends, by the store's clock, then the rows are free, and a new server edits them.
 *
 * <p>Process-level, not Arquillian: a managed adapter can stop its server but not kill it
 * mid-operation (SIGKILL, no shutdown hooks) and then start a second one against the same Redis
 * while the first one's claims are still leased.
 */
class KilledServerIT {

    @Test
    void rowsOfAKilledServerAreFreeAgainAfterTheLease() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(ContainerScenarioIT.env("redis"));
        env.put("CONFLICTGUARD_LEASE", "4s");
        env.put("TRACKER_STEP_MS", "2000");
        List<Row> rows;
        try (TrackerServer server = TrackerServer.start(TrackerServer.Kind.WILDFLY, TrackerServer.freePort(18080),
                env)) {
            Api api = new Api(server.base);
            Api.Answer started = api.post("api/projects/3/reschedule?days=1");
            assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
            String operation = started.body().get("operationId").asText();
            rows = ContainerScenarioIT.rows(api.get("api/claims").body(), operation).stream()
                    .map(r -> Row.of(r.substring(0, r.indexOf(':')), r.substring(r.indexOf(':') + 1))).toList();
            assertThat(rows).hasSize(1 + Setup.MILESTONES + Setup.MILESTONES * Setup.TASKS);
            await("the operation under way").atMost(Duration.ofSeconds(30))
                    .until(() -> api.get("api/operations/" + operation).body().get("done").asInt() >= 1);
            server.kill();
        }

        try (ConflictGuard observer = ConflictGuard.builder()
                .setting("conflictguard.redis.address", env.get("CONFLICTGUARD_REDIS_ADDRESS"))
                .setting("conflictguard.namespace", env.get("CONFLICTGUARD_NAMESPACE")).build()) {
            // The server claimed the project with its subtree: one mark, on the project (this observer, which
            // knows no tree, sees the root; the server's own page marks every row of the tree).
            Map<Row, RowClaim> held = observer.inspect(rows);
            assertThat(held).as("the dead server's claim outlives it until its lease").hasSize(1);
            RowClaim tree = held.values().iterator().next();
            assertThat(tree.row().entity()).isEqualTo("Project");
            assertThat(tree.scope()).isEqualTo(Scope.SUBTREE);
            Instant leaseEnd = tree.holder().leaseUntil();
            await("the lease of the dead server's claim ending").atMost(Duration.ofSeconds(15))
                    .until(() -> observer.inspect(rows).isEmpty());
            assertThat(Instant.now()).isAfterOrEqualTo(leaseEnd);
            System.out.println("WILDFLY  redis     killed mid-operation: " + rows.size() + " rows held until "
                    + leaseEnd + ", free after");
        }

        try (TrackerServer again = TrackerServer.start(TrackerServer.Kind.WILDFLY, TrackerServer.freePort(18080),
                env)) {
            Api api = new Api(again.base);
            assertThat(api.get("api/claims").body().size()).isZero();
            assertThat(api.put("api/tasks/30101", "{\"title\":\"after the crash\",\"due\":\"2027-06-01\"}").status())
                    .isEqualTo(200);
        }
    }
}
