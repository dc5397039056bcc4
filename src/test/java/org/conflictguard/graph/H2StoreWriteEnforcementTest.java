package org.conflictguard.graph;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;

/** Graph and write enforcement with claims in the database (H2). */
class H2StoreWriteEnforcementTest extends WriteEnforcementTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return JpaClaimStore.create(db.emf(), namespace);
    }
}
