package org.conflictguard.reliability;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** The soak with claims on MARIADB (the entities stay in H2). */
class MariaDbSoakTest extends SoakTest {

    private TestDatabase claims;

    @Override
    protected ClaimStore newStore(String namespace) {
        claims = TestDatabase.create(TestDatabase.Kind.MARIADB);
        return JpaClaimStore.create(claims.emf(), namespace);
    }

    @AfterAll
    void dropClaimDatabase() {
        if (claims != null) {
            claims.close();
        }
    }
}
