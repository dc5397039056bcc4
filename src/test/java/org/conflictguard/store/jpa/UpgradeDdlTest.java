package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.conflictguard.ClaimMode;
import org.conflictguard.ConfigurationException;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database set up with an earlier DDL of the store (the first: one row per claimed row, no scope,
 * no intentions; the second: subtree marks, no modes) is refused at startup naming the upgrade
 * script, and works once the script ran (twice: it is safe to run again), shared claims included,
 * with no index of the earlier layout left.
 */
class UpgradeDdlTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aDatabaseOfTheFirstDdlIsRefusedNamingTheUpgradeAndWorksAfterIt(TestDatabase.Kind kind) {
        upgradeFrom("ddl-0.1", kind);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aDatabaseOfTheSubtreeDdlIsRefusedNamingTheUpgradeAndWorksAfterIt(TestDatabase.Kind kind) {
        upgradeFrom("ddl-0.2", kind);
    }

    private static void upgradeFrom(String earlier, TestDatabase.Kind kind) {
        String name = kind.name().toLowerCase(Locale.ROOT) + ".sql";
        try (TestDatabase old = TestDatabase.create(kind, Path.of("src/test/resources", earlier, name))) {
            assertThatThrownBy(() -> JpaClaimStore.create(old.emf(), "upgrade"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("META-INF-templates/ddl/upgrade/" + name);
            old.apply(Path.of("META-INF-templates/ddl/upgrade", name));
            old.apply(Path.of("META-INF-templates/ddl/upgrade", name));
            JpaClaimStore store = JpaClaimStore.create(old.emf(), "upgrade");
            assertThat(store.indexesOfAnEarlierLayout()).as("indexes of an earlier layout left").isEmpty();
            ClaimOutcome tree = store.claim(new ClaimSpec("op", null, null,
                    List.of(new Mark(Row.of("Project", 1), Scope.SUBTREE)), List.of(), Duration.ofSeconds(30)));
            ClaimOutcome inside = store.claim(new ClaimSpec("other", null, null,
                    List.of(new Mark(Row.of("Task", 7), Scope.ROW)), List.of(Row.of("Project", 1)),
                    Duration.ofSeconds(30)));
            assertThat(tree.isGranted()).isTrue();
            assertThat(inside.isGranted()).isFalse();
            assertThat(store.release("op", tree.token())).isEqualTo(1);
            List<Mark> task = List.of(new Mark(Row.of("Task", 7), Scope.ROW));
            ClaimOutcome reader = store.claim(new ClaimSpec("reader", null, null, task, List.of(),
                    Duration.ofSeconds(30), ClaimMode.SHARED));
            ClaimOutcome second = store.claim(new ClaimSpec("second", null, null, task, List.of(),
                    Duration.ofSeconds(30), ClaimMode.SHARED));
            assertThat(reader.isGranted()).isTrue();
            assertThat(second.isGranted()).as("two shared claims of one row").isTrue();
            assertThat(store.claim(new ClaimSpec("writer", null, null, task, List.of(), Duration.ofSeconds(30)))
                    .isGranted()).isFalse();
            assertThat(store.release("reader", reader.token())).isEqualTo(1);
            assertThat(store.release("second", second.token())).isEqualTo(1);
        }
    }
}
