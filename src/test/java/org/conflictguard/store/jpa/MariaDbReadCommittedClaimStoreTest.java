package org.conflictguard.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManagerFactory;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on MariaDB through a unit whose connections run at READ COMMITTED (the
 * driver's {@code transactionIsolation}), where claims and releases do not set it themselves; and
 * that they do through a unit at the server's default, REPEATABLE READ.
 */
class MariaDbReadCommittedClaimStoreTest extends DatabaseClaimStoreTest {

    private EntityManagerFactory readCommitted;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }

    @Override
    protected ClaimStore newStore(String namespace) {
        return JpaClaimStore.create(readCommittedUnit(), namespace);
    }

    private synchronized EntityManagerFactory readCommittedUnit() {
        if (readCommitted == null) {
            readCommitted = database().newUnit("conflictguard-test", "transactionIsolation=READ-COMMITTED");
        }
        return readCommitted;
    }

    @Test
    void claimsAndReleasesSetReadCommittedOnlyWhereTheUnitRunsAboveIt() {
        try (JpaClaimStore onDefault = JpaClaimStore.create(database().emf(), "isolation-default");
                JpaClaimStore onReadCommitted = JpaClaimStore.create(readCommittedUnit(), "isolation-rc")) {
            assertThat(((MariaDbSql) onDefault.dialectSql()).setsReadCommitted()).isTrue();
            assertThat(((MariaDbSql) onReadCommitted.dialectSql()).setsReadCommitted()).isFalse();
        }
    }

    @AfterAll
    void closeUnit() {
        if (readCommitted != null) {
            readCommitted.close();
        }
    }
}
