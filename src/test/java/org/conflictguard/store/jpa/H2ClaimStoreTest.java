package org.conflictguard.store.jpa;

import org.conflictguard.support.TestDatabase;

/** The store contract on H2. */
class H2ClaimStoreTest extends DatabaseClaimStoreTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
