package org.conflictguard.reliability;

import java.time.Duration;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;

/** Grants pushed by PostgreSQL ({@code NOTIFY} sent once the claim has committed): they arrive within milliseconds. */
class PostgresFreshnessTest extends FreshnessTest {

    private TestDatabase claims;

    @Override
    protected ClaimStore newStore(String namespace) {
        if (claims == null) {
            claims = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
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
        return Duration.ofMillis(50);
    }
}
