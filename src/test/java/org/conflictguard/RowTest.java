package org.conflictguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowTest {

    @Test
    void integralIdsOfEveryTypeNameTheSameRow() {
        assertThat(Row.of("Task", 42)).isEqualTo(Row.of("Task", 42L)).isEqualTo(Row.of("Task", "42"))
                .isEqualTo(Row.of("Task", (short) 42)).isEqualTo(Row.of("Task", BigInteger.valueOf(42)))
                .isEqualTo(Row.of("Task", new BigDecimal("42.000")));
        UUID uuid = UUID.fromString("7F3C0000-0000-4000-8000-000000000001");
        assertThat(Row.of("Task", uuid).id()).isEqualTo("7f3c0000-0000-4000-8000-000000000001");
    }

    @Test
    void rowsSortByEntityThenId() {
        assertThat(Row.of("Task", "b")).isGreaterThan(Row.of("Task", "a")).isGreaterThan(Row.of("Milestone", "z"));
    }

    @Test
    void aNullOrBlankEntityIsRejectedWithWhatToDo() {
        assertThatThrownBy(() -> Row.of(null, 1)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("Entity name is null").hasMessageContaining("JPA entity name");
        assertThatThrownBy(() -> Row.of("  ", 1)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("Entity name is blank");
        assertThatThrownBy(() -> new Row("Task:1", "1")).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("'Task:1' is not a Java identifier");
        assertThatThrownBy(() -> Row.of("T".repeat(101), 1)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("101 characters long; at most 100");
    }

    @Test
    void aNullEmptyOrOverlongIdIsRejectedNamingTheEntity() {
        assertThatThrownBy(() -> Row.of("Task", null)).isInstanceOf(InvalidClaimException.class)
                .hasMessage("Entity 'Task': id is null; pass the row's primary key value")
                .satisfies(e -> assertThat(((InvalidClaimException) e).entity()).isEqualTo("Task"));
        assertThatThrownBy(() -> Row.of("Task", "")).isInstanceOf(InvalidClaimException.class)
                .hasMessage("Entity 'Task': id is empty");
        String longId = "x".repeat(256);
        assertThatThrownBy(() -> Row.of("Task", longId)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("Entity 'Task' id 'xxxx").hasMessageContaining("256 characters long; at most 255")
                .hasMessageContaining("never truncated")
                .satisfies(e -> assertThat(((InvalidClaimException) e).id()).isEqualTo(longId));
        assertThat(Row.of("Task", "\ud83d\ude00".repeat(255)).id()).hasSize(510);
    }

    @Test
    void idsThatNoStoreCanHoldExactlyAreRejected() {
        assertThatThrownBy(() -> Row.of("Task", "a\u0000b")).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("U+0000 at index 1");
        assertThatThrownBy(() -> Row.of("Task", "a\ud800")).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("unpaired surrogate at index 1");
        assertThatThrownBy(() -> Row.of("Task", new BigDecimal("1.5"))).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("has a fraction");
        assertThatThrownBy(() -> Row.of("Task", 1.0d)).isInstanceOf(InvalidClaimException.class)
                .hasMessageContaining("ids of type java.lang.Double are not supported");
    }
}
