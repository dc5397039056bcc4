package org.conflictguard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.conflictguard.ClaimRefusedException;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

    private final Holder holder = new Holder("7f3c", "bulk \"archive\"", "alice", Instant.parse("2026-11-25T10:42:07Z"),
            Instant.parse("2026-11-25T10:42:37Z"));

    @Test
    void aRefusedClaimBecomes409WithEveryRowAndHolder() {
        Response response = new ClaimRefusedMapper().toResponse(new ClaimRefusedException(List.of(
                new RowClaim(Row.of("Task", 7), holder), new RowClaim(Row.of("Task", "a\nb"), holder))));

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        String body = (String) response.getEntity();
        assertThat(body).startsWith("{\"type\":\"urn:conflictguard:conflict\",\"title\":\"Rows are claimed by another"
                + " operation\",\"status\":409,\"detail\":\"2 row(s) are claimed by other operations: ")
                .contains("{\"entity\":\"Task\",\"id\":\"7\",\"operationId\":\"7f3c\",\"label\":\"bulk \\\"archive\\\"\","
                        + "\"user\":\"alice\",\"since\":\"2026-11-25T10:42:07Z\",\"leaseUntil\":\"2026-11-25T10:42:37Z\","
                        + "\"mode\":\"EXCLUSIVE\"}")
                .contains("\"id\":\"a\\nb\"").endsWith("}]}");
    }

    @Test
    void aRefusedWriteBecomes409WithTheHolder() {
        Response response = new WriteRefusedMapper().toResponse(WriteRefusedException.heldByOther(
                WriteRefusedException.Write.UPDATE, "Task", Row.of("Task", 7), holder));
        assertThat(response.getStatus()).isEqualTo(409);
        assertThat((String) response.getEntity()).contains("\"title\":\"The row is claimed by another operation\"")
                .contains("\"detail\":\"Cannot update Entity 'Task' id 7: it is claimed by operation")
                .contains("\"rows\":[{\"entity\":\"Task\",\"id\":\"7\",\"operationId\":\"7f3c\"");
    }
}
