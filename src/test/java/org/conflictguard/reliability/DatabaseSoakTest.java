package org.conflictguard.reliability;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;

/** The soak with claims in the database (H2, the same database as the entities). */
class DatabaseSoakTest extends SoakTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return JpaClaimStore.create(db.emf(), namespace);
    }
}
