package org.conflictguard.store.jpa;

import org.conflictguard.contract.ClaimStoreContractTest;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
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

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
