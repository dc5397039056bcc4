package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManagerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import java.util.stream.IntStream;
import org.conflictguard.Row;
import org.conflictguard.contract.ClaimStoreContractTest;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The store contract on one database; the database lives as long as the test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseClaimStoreTest extends ClaimStoreContractTest {

    private TestDatabase database;

    protected abstract TestDatabase.Kind kind();

    protected TestDatabase database() {
        if (database == null) {
            database = TestDatabase.create(kind());
        }
        return database;
    }

    @Override
    protected ClaimStore newStore(String namespace) {
        return JpaClaimStore.create(database().emf(), namespace);
    }

    @Override
    protected long leftovers(String namespace) {
        return database().count("SELECT COUNT(*) FROM cg_object_lock WHERE namespace = ?", namespace)
                + database().count("SELECT COUNT(*) FROM cg_intent WHERE namespace = ?", namespace)
                + database().count("SELECT COUNT(*) FROM cg_wait WHERE namespace = ?", namespace);
    }

    @Override
    protected String snapshot(String namespace) {
        return database().dump("SELECT * FROM cg_object_lock WHERE namespace = ? ORDER BY model_name, object_id",
                namespace) + database().dump("SELECT * FROM cg_intent WHERE namespace = ? ORDER BY model_name,"
                + " object_id, token", namespace) + database().dump("SELECT * FROM cg_wait WHERE namespace = ?"
                + " ORDER BY ticket, model_name, object_id, kind", namespace);
    }

    @Override
    protected void dropNamespace(String namespace) {
        database().dropClaims(namespace);
    }

    /**
     * Writing 100,000 marks takes far longer than a tenth of a one-second lease on any of the
     * databases: the lease then runs from when the marks were written, not from when the claim
     * began (on H2 too, whose clock stands still within a transaction).
     */
    @Test
    void aClaimThatTakesLongToWriteGetsItsLeaseFromWhenItWasWritten() {
        List<Row> rows = IntStream.range(0, 100_000).mapToObj(i -> Row.of("Task", String.format("%06d", i))).toList();
        Duration lease = Duration.ofSeconds(1);
        ClaimOutcome outcome = store.claim(new ClaimSpec("slow-to-write", null, null, rows, lease));
        assertThat(outcome.isGranted()).isTrue();
        assertThat(outcome.leaseUntil()).as("the lease end of a claim granted at %s", outcome.since())
                .isAfter(outcome.since().plus(lease));
        assertThat(store.release("slow-to-write", outcome.token())).isEqualTo(100_000);
    }

    /**
     * A unit whose transactions commit each statement by itself (Hibernate told that its pool hands
     * out connections with autocommit off, and the pool handing them out with autocommit on) is
     * refused when the store starts, naming the unit's setting and what to do, before any claim
     * could be half written. EclipseLink turns autocommit off in its transactions whatever it is
     * told: there the same unit is a good one.
     */
    @Test
    void aUnitWhoseTransactionsCommitEachStatementIsRefusedWhenTheStoreStarts() {
        EntityManagerFactory unit = database().newUnit("conflictguard-test", Map.of("hibernate.connection.autocommit",
                "true", "hibernate.connection.provider_disables_autocommit", "true"));
        try {
            if (unit.getClass().getName().startsWith("org.eclipse.persistence")) {
                try (JpaClaimStore store = JpaClaimStore.create(unit, "autocommitted")) {
                    assertThat(store.claim(new ClaimSpec("op", null, null, List.of(Row.of("Task", 1)),
                            Duration.ofSeconds(10))).isGranted()).isTrue();
                }
                return;
            }
            assertThatThrownBy(() -> JpaClaimStore.create(unit, "autocommitted"))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.key()).as(e.getMessage()).isEqualTo(ConfigKeys.PERSISTENCE_UNIT))
                    .hasMessageContaining("commits each statement by itself")
                    .hasMessageContaining("hibernate.connection.provider_disables_autocommit");
        } finally {
            unit.close();
            database().dropClaims("autocommitted");
        }
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
