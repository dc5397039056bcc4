package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.conflictguard.Row;
import org.junit.jupiter.api.Test;

/** The parts of MariaDB's one-statement claim that need no server (the claim itself: MariaDbClaimStoreTest). */
class MariaDbSqlTest {

    @Test
    void theOneStatementClaimIsUsedFromMariaDb106On() {
        assertThat(MariaDbSql.hasJsonTable("10.11.19-MariaDB-0+deb12u1")).isTrue();
        assertThat(MariaDbSql.hasJsonTable("10.6.0-MariaDB")).isTrue();
        assertThat(MariaDbSql.hasJsonTable("11.4.2-MariaDB-ubu2404")).isTrue();
        assertThat(MariaDbSql.hasJsonTable("10.5.23-MariaDB")).isFalse();
        assertThat(MariaDbSql.hasJsonTable("10.3.39-MariaDB-log")).isFalse();
        assertThat(MariaDbSql.hasJsonTable("5.5.5-10.11.6-MariaDB")).isFalse();
        assertThat(MariaDbSql.hasJsonTable("unknown")).isFalse();
    }

    @Test
    void rowsTravelAsAJsonArrayOfPairsWithEveryCharacterEscapedThatMustBe() {
        assertThat(MariaDbSql.json(List.of())).isEqualTo("[]");
        assertThat(MariaDbSql.json(List.of(Row.of("Task", "1"), Row.of("Task", "a\"b\\c\nd\u0001\u00e9\ud83d\ude00"))))
                .isEqualTo("[[\"Task\",\"1\"],[\"Task\",\"a\\\"b\\\\c\\u000ad\\u0001\u00e9\ud83d\ude00\"]]");
    }
}
