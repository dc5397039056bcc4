package org.conflictguard.example.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tracker in real servers, on each store: the bulk operation claims the project's tree,
 * a concurrent edit inside it is refused with 409 naming the holder, the claims are listed, and
 * after the operation everything is free and the edit goes through.
 *
 * <p>Process-level, not Arquillian (the library's own in-container suite is {@code containers/}):
 * this checks the example as a user builds and runs it, the WAR of {@code mvn package} with its
 * settings from the environment ({@code CONFLICTGUARD_*}), which Arquillian's managed adapters do
 * not pass to the server per test, and with the page and its meters as they are served.
 */
class ContainerScenarioIT {

    static Stream<Arguments> servers() {
        return Stream.of(
                Arguments.of(TrackerServer.Kind.PAYARA, "database"),
                Arguments.of(TrackerServer.Kind.PAYARA, "redis"),
                Arguments.of(TrackerServer.Kind.WILDFLY, "database"),
                Arguments.of(TrackerServer.Kind.WILDFLY, "redis"));
    }

    @ParameterizedTest(name = "{0} with the {1} store")
    @MethodSource("servers")
    void bulkOperationHoldsItsTreeAndRefusesEditsUntilItEnds(TrackerServer.Kind kind, String store) throws Exception {
        try (TrackerServer server = TrackerServer.start(kind, TrackerServer.freePort(18080), env(store))) {
            Report.started(server, store);
            Api api = new Api(server.base);
            assertThat(api.get("api/health").body().get("store").asText()).startsWith(store);
            if (kind == TrackerServer.Kind.PAYARA) {
                // MicroProfile Health: the library's readiness check, found by CDI in the WAR.
                JsonNode ready = new Api(server.base.resolve("/")).get("health/ready").body();
                JsonNode check = null;
                for (JsonNode each : ready.get("checks")) {
                    if (each.get("name").asText().equals("conflictguard")) {
                        check = each;
                    }
                }
                assertThat(check).as("the conflictguard check in %s", ready).isNotNull();
                assertThat(check.get("status").asText()).isEqualTo("UP");
                assertThat(check.get("data").get("store").asText()).startsWith(store);
                assertThat(check.get("data").get("claims").asLong()).isGreaterThanOrEqualTo(0);
            }

            // The library's admin resource, on (by setting) but open to the role only: nobody is signed in.
            Api.Answer admin = api.get("api/conflictguard/admin/operations");
            assertThat(admin.status()).as(admin.body().toString()).isEqualTo(401);
            assertThat(admin.body().get("detail").asText()).contains("'tracker-admin'");

            JsonNode project = api.get("api/board").body().get("projects").get(1);
            long projectId = project.get("id").asLong();
            JsonNode task = project.get("milestones").get(2).get("tasks").get(3);
            long versionBefore = project.get("milestones").get(0).get("tasks").get(0).get("version").asLong();
            long taskId = task.get("id").asLong();
            long otherTask = api.get("api/board").body().get("projects").get(0).get("milestones").get(0)
                    .get("tasks").get(0).get("id").asLong();

            Api.Answer started = api.post("api/projects/" + projectId + "/reschedule?days=3");
            assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
            String operation = started.body().get("operationId").asText();
            int total = started.body().get("total").asInt();
            assertThat(total).isEqualTo(Setup.MILESTONES * Setup.TASKS);

            // The claim is taken before the 202: the whole tree is listed at once.
            List<String> claimed = rows(api.get("api/claims").body(), operation);
            assertThat(claimed).hasSize(1 + Setup.MILESTONES + total).contains("Project:" + projectId,
                    "Task:" + taskId);

            Api.Answer refused = api.put("api/tasks/" + taskId, "{\"title\":\"edited meanwhile\",\"due\":\"2027-05-05\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            JsonNode holder = refused.body().get("rows").get(0);
            assertThat(holder.get("entity").asText()).isEqualTo("Task");
            assertThat(holder.get("id").asText()).isEqualTo(String.valueOf(taskId));
            assertThat(holder.get("operationId").asText()).isEqualTo(operation);
            assertThat(holder.get("label").asText()).isEqualTo(Rescheduler.LABEL);
            assertThat(refused.body().get("detail").asText()).contains(Rescheduler.LABEL, "retry");

            Api.Answer second = api.post("api/projects/" + projectId + "/reschedule?days=3");
            assertThat(second.status()).isEqualTo(409);
            assertThat(second.body().get("rows").size()).isEqualTo(claimed.size());

            // Rows outside the tree stay writable while it runs.
            assertThat(api.put("api/tasks/" + otherTask, "{\"title\":\"elsewhere\",\"due\":\"2027-05-05\"}").status())
                    .isEqualTo(200);

            await("operation " + operation + " finishing").atMost(Duration.ofSeconds(60))
                    .until(() -> api.get("api/operations/" + operation).body().get("state").asText(),
                            state -> !state.equals("RUNNING"));
            assertThat(api.get("api/operations/" + operation).body().get("state").asText()).isEqualTo("DONE");
            await("claims released").atMost(Duration.ofSeconds(10))
                    .until(() -> api.get("api/claims").body().size() == 0);
            // The library's meters, in the application's MeterRegistry bean.
            JsonNode meters = api.get("api/meters").body();
            assertThat(meters.get("claimsGranted").asDouble()).as(meters.toString()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("claimsRefused").asDouble()).as(meters.toString()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("releases").asLong()).as(meters.toString()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("writeChecks").asDouble()).as(meters.toString()).isGreaterThanOrEqualTo(1);

            Api.Answer edited = api.put("api/tasks/" + taskId, "{\"title\":\"edited after\",\"due\":\"2027-05-05\"}");
            assertThat(edited.status()).as(edited.body().toString()).isEqualTo(200);
            assertThat(edited.body().get("title").asText()).isEqualTo("edited after");
            // The operation's own writes passed: its tasks moved by 3 days, each in one update.
            JsonNode after = api.get("api/board").body().get("projects").get(1).get("milestones").get(0)
                    .get("tasks").get(0);
            assertThat(after.get("version").asLong()).isEqualTo(versionBefore + 1);
            assertThat(after.get("due").asText()).isEqualTo(java.time.LocalDate.parse(
                    project.get("milestones").get(0).get("tasks").get(0).get("due").asText()).plusDays(3).toString());
            Report.measured(server, store);
        }
    }

    static Map<String, String> env(String store) {
        Map<String, String> env = new HashMap<>();
        env.put("TRACKER_STEP_MS", "300");
        env.put("CONFLICTGUARD_ADMIN_ENABLED", "true");
        env.put("CONFLICTGUARD_ADMIN_ROLE", "tracker-admin");
        env.put("CONFLICTGUARD_NAMESPACE", "tracker-it-" + UUID.randomUUID().toString().substring(0, 8));
        if (store.equals("redis")) {
            env.put("CONFLICTGUARD_REDIS_ADDRESS", TestRedis.address());
        } else {
            env.put("CONFLICTGUARD_STORE", "database");
        }
        return env;
    }

    static List<String> rows(JsonNode claims, String operation) {
        List<String> rows = new ArrayList<>();
        claims.forEach(c -> {
            if (c.get("operationId").asText().equals(operation)) {
                rows.add(c.get("entity").asText() + ":" + c.get("id").asText());
            }
        });
        return rows;
    }
}
