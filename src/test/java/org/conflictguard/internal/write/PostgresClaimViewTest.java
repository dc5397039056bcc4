package org.conflictguard.internal.write;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** The view fed by LISTEN/NOTIFY. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresClaimViewTest extends ClaimViewTest {

    private TestDatabase database;

    @Override
    protected ClaimStore newStore(String namespace) {
        if (database == null) {
            database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        }
        return JpaClaimStore.create(database.emf(), namespace);
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
