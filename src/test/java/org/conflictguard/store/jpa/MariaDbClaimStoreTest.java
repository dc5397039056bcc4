package org.conflictguard.store.jpa;

import org.conflictguard.support.TestDatabase;

/** The store contract on MARIADB. */
class MariaDbClaimStoreTest extends DatabaseClaimStoreTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
