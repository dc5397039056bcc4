package org.conflictguard.store.jpa;

import org.conflictguard.support.TestDatabase;

/** The store contract on POSTGRESQL. */
class PostgresClaimStoreTest extends DatabaseClaimStoreTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
