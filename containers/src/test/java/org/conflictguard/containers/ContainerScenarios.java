package org.conflictguard.containers;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ClaimRefusedException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.containers.app.Board;
import org.conflictguard.containers.app.EventLog;
import org.conflictguard.containers.app.Setup;
import org.conflictguard.containers.app.TaskWriter;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scenarios every server runs, on each store: {@code @Guarded} claims a project's tree and
 * refuses a second operation; the entity listener refuses another writer's update of a claimed
 * row in a JTA transaction; claim events reach the application's observers; the library's
 * mappers answer 409 problem+json over HTTP. Each test uses its own project. All but the HTTP test
 * run inside the server.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class ContainerScenarios {

    @Inject
    ConflictGuard guard;
    @Inject
    Board board;
    @Inject
    TaskWriter writer;
    @Inject
    EventLog log;

    @Test
    void aGuardedOperationClaimsTheTreeAndRefusesASecondOneUntilItEnds() throws Exception {
        CompletableFuture<String> until = new CompletableFuture<>();
        CompletionStage<String> held = board.hold(1, until);
        List<Row> tree = tree(1);

        Map<Row, RowClaim> claimed = guard.inspect(tree);
        assertThat(claimed).containsOnlyKeys(tree);
        assertThat(claimed.values()).allSatisfy(c -> assertThat(c.holder().label()).isEqualTo(Board.HOLD));
        assertThatThrownBy(() -> board.touch(1)).isInstanceOf(ClaimRefusedException.class)
                .hasMessageContaining(Board.HOLD);
        assertThat(board.touch(2)).isEqualTo("touched 2");

        until.complete("done");
        assertThat(held.toCompletableFuture().get(30, SECONDS)).isEqualTo("done");
        assertThat(guard.inspect(tree)).isEmpty();
        assertThat(board.touch(1)).isEqualTo("touched 1");
    }

    @Test
    void anotherWritersUpdateOfAClaimedRowIsRefusedAtTheOrmLayer() throws Exception {
        CompletableFuture<String> until = new CompletableFuture<>();
        CompletionStage<String> held = board.hold(3, until);

        assertThatThrownBy(() -> writer.rename(Setup.task(3, 2), "mine now"))
                .isInstanceOf(WriteRefusedException.class).hasMessageContaining(Board.HOLD);
        assertThat(writer.title(Setup.task(3, 2))).isEqualTo("task 2");
        writer.rename(Setup.task(4, 2), "another project's task");
        assertThat(writer.title(Setup.task(4, 2))).isEqualTo("another project's task");

        until.complete("done");
        held.toCompletableFuture().get(30, SECONDS);
        writer.rename(Setup.task(3, 2), "after the operation");
        assertThat(writer.title(Setup.task(3, 2))).isEqualTo("after the operation");
    }

    @Test
    void claimEventsReachTheApplicationsObservers() throws Exception {
        CompletableFuture<String> until = new CompletableFuture<>();
        CompletionStage<String> held = board.hold(5, until);
        String operation = guard.inspect(List.of(Row.of("Project", 5))).get(Row.of("Project", 5)).holder()
                .operationId();
        assertThatThrownBy(() -> board.touch(5)).isInstanceOf(ClaimRefusedException.class);
        until.complete("done");
        held.toCompletableFuture().get(30, SECONDS);

        assertThat(log.of(Board.HOLD)).filteredOn(e -> e.operationId().equals(operation))
                .extracting(ClaimEvent::kind).containsSubsequence(ClaimEvent.Kind.CLAIMED, ClaimEvent.Kind.RELEASED);
        assertThat(log.of(Board.TOUCH)).filteredOn(e -> e.kind() == ClaimEvent.Kind.CONFLICT)
                .anySatisfy(e -> assertThat(e.conflicts()).extracting(c -> c.holder().operationId())
                        .contains(operation));
    }

    @Test
    @RunAsClient
    void theLibrarysMappersAnswer409WithProblemJson(@ArquillianResource URL base) throws Exception {
        URI api = base.toURI().resolve("api/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        assertThat(send(http, "POST", api.resolve("holds/6"), null).statusCode()).isEqualTo(201);
        HttpResponse<String> write = send(http, "PUT", api.resolve("tasks/" + Setup.task(6, 1)), "refused");
        assertThat(write.statusCode()).isEqualTo(409);
        assertThat(write.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(write.body()).contains(Board.HOLD);
        HttpResponse<String> second = send(http, "POST", api.resolve("holds/6"), null);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains(Board.HOLD);

        assertThat(send(http, "DELETE", api.resolve("holds/6"), null).statusCode()).isEqualTo(204);
        assertThat(send(http, "PUT", api.resolve("tasks/" + Setup.task(6, 1)), "saved").statusCode())
                .isEqualTo(204);
    }

    @Test
    @RunAsClient
    void theServersReadinessEndpointHasTheLibrarysCheckUp(@ArquillianResource URL base) throws Exception {
        // WildFly serves MicroProfile Health on its management port, Payara Micro on its HTTP port.
        String health = System.getProperty("containers.health");
        URI ready = health != null ? URI.create(health)
                : new URI(base.getProtocol(), null, base.getHost(), base.getPort(), "/health/ready", null, null);
        HttpResponse<String> answer = send(HttpClient.newHttpClient(), "GET", ready, null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String body = answer.body().replaceAll("\\s", "");
        assertThat(body).contains("\"name\":\"conflictguard\"").contains("\"store\":\"" + store());
        assertThat(body).startsWith("{\"status\":\"UP\"");
    }

    /** How the readiness check names this deployment's store ("database", "redis"). */
    abstract String store();

    private static List<Row> tree(long project) {
        return List.of(Row.of("Project", project), Row.of("Task", Setup.task(project, 1)),
                Row.of("Task", Setup.task(project, 2)), Row.of("Task", Setup.task(project, 3)));
    }

    private static HttpResponse<String> send(HttpClient http, String method, URI uri, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "text/plain");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
