package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * A database set up with the store's first DDL (one row per claimed row, no scope, no
 * intentions) is refused at startup naming the upgrade script, and works once the script ran.
 */
class UpgradeDdlTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aDatabaseOfTheFirstDdlIsRefusedNamingTheUpgradeAndWorksAfterIt(TestDatabase.Kind kind) {
        String name = kind.name().toLowerCase(Locale.ROOT) + ".sql";
        try (TestDatabase old = TestDatabase.create(kind, Path.of("src/test/resources/ddl-0.1", name))) {
            assertThatThrownBy(() -> JpaClaimStore.create(old.emf(), "upgrade"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("META-INF-templates/ddl/upgrade/" + name);
            old.apply(Path.of("META-INF-templates/ddl/upgrade", name));
            JpaClaimStore store = JpaClaimStore.create(old.emf(), "upgrade");
            ClaimOutcome tree = store.claim(new ClaimSpec("op", null, null,
                    List.of(new Mark(Row.of("Project", 1), Scope.SUBTREE)), List.of(), Duration.ofSeconds(30)));
            ClaimOutcome inside = store.claim(new ClaimSpec("other", null, null,
                    List.of(new Mark(Row.of("Task", 7), Scope.ROW)), List.of(Row.of("Project", 1)),
                    Duration.ofSeconds(30)));
            assertThat(tree.isGranted()).isTrue();
            assertThat(inside.isGranted()).isFalse();
            assertThat(store.release("op", tree.token())).isEqualTo(1);
        }
    }
}
