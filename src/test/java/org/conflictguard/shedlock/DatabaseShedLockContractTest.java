package org.conflictguard.shedlock;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** ShedLock's provider contract on one database, which lives as long as the test class. */
abstract class DatabaseShedLockContractTest extends ShedLockContractTest {

    private static TestDatabase database;

    protected abstract TestDatabase.Kind kind();

    private TestDatabase database() {
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
    protected void dropNamespace(String namespace) {
        database().dropClaims(namespace);
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
