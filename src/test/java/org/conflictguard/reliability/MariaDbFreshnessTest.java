package org.conflictguard.reliability;

import java.time.Duration;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;

/**
 * MariaDB pushes nothing: a check compares the view with the store's claims when the last
 * comparison is older than the poll interval (10 ms by default), which bounds how late a grant is seen.
 */
class MariaDbFreshnessTest extends FreshnessTest {

    private TestDatabase claims;

    @Override
    protected ClaimStore newStore(String namespace) {
        if (claims == null) {
            claims = TestDatabase.create(TestDatabase.Kind.MARIADB);
        }
        return JpaClaimStore.create(claims.emf(), namespace);
    }

    @Override
    protected void closeStores() {
        if (claims != null) {
            claims.close();
        }
    }

    @Override
    protected Duration bound() {
        return Duration.ofMillis(100);
    }
}
