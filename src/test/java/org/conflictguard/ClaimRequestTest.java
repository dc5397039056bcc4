package org.conflictguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimRequestTest {

    @Test
    void rowsAreDeduplicatedAndSortedAndTheOperationGetsAnId() {
        ClaimRequest request = ClaimRequest.builder().row("Task", 2).row("Project", 1).row("Task", "2").build();
        assertThat(request.rows()).containsExactly(Row.of("Project", 1), Row.of("Task", 2));
        assertThat(request.operationId()).isNotBlank();
        assertThat(ClaimRequest.of(List.of()).operationId()).isNotEqualTo(request.operationId());
        assertThat(request.lease()).isNull();
    }

    @Test
    void badValuesAreRejectedAsTheyAreSet() {
        ClaimRequest.Builder builder = ClaimRequest.builder();
        assertThatThrownBy(() -> builder.rows(null)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("rows is null");
        assertThatThrownBy(() -> builder.rows(Arrays.asList(Row.of("Task", 1), null)))
                .hasMessageContaining("rows contains null");
        assertThatThrownBy(() -> builder.operationId(" ")).hasMessage("operationId is blank");
        assertThatThrownBy(() -> builder.operationId("x".repeat(101))).hasMessageContaining("at most 100");
        assertThatThrownBy(() -> builder.label("a\nb")).hasMessageContaining("label 'a\nb' contains a control character");
        assertThatThrownBy(() -> builder.lease(Duration.ZERO)).hasMessageContaining("lease PT0S is out of range");
        assertThatThrownBy(() -> builder.lease(Duration.ofSeconds(-5))).hasMessageContaining("out of range");
        assertThatThrownBy(() -> builder.lease(Duration.ofDays(31))).hasMessageContaining("out of range");
        assertThatThrownBy(() -> builder.lease(null)).hasMessageContaining("lease is null");
    }

    @Test
    void aRefusedResultListsTheConflictsWhenAskedForItsClaim() {
        Holder holder = new Holder("7f3c", "bulk-archive", null, java.time.Instant.EPOCH, java.time.Instant.EPOCH);
        ClaimResult result = ClaimResult.conflict(List.of(new RowClaim(Row.of("Task", 42), holder)));
        assertThatThrownBy(result::claim).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Entity 'Task' id 42 is claimed by operation '7f3c' (label 'bulk-archive') since")
                .hasMessageContaining("retry after they finish");
        assertThatThrownBy(() -> ClaimResult.conflict(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
