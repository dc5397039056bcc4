package org.conflictguard.subtree;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** The subtree differential fuzz on the database store, POSTGRESQL. */
class PostgresSubtreeFuzzTest extends SubtreeDifferentialFuzzTest {

    private TestDatabase store;

    @Override
    protected ClaimStore newStore(String namespace) {
        if (store == null) {
            store = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        }
        return JpaClaimStore.create(store.emf(), namespace);
    }

    @Override
    protected long leftovers(String namespace) {
        return store.count("SELECT COUNT(*) FROM cg_object_lock WHERE namespace = ?", namespace)
                + store.count("SELECT COUNT(*) FROM cg_intent WHERE namespace = ?", namespace);
    }

    @AfterAll
    void dropStore() {
        if (store != null) {
            store.close();
        }
    }
}
