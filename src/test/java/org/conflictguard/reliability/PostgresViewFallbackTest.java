package org.conflictguard.reliability;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;

/**
 * The view fed by PostgreSQL: the backend of its {@code LISTEN} connection terminated
 * ({@code pg_terminate_backend}); the test's own schema, the machine's server left running.
 */
class PostgresViewFallbackTest extends ViewFallbackTest {

    private TestDatabase claims;

    @Override
    protected ClaimStore newStore(String namespace) {
        if (claims == null) {
            claims = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        }
        return JpaClaimStore.create(claims.emf(), namespace);
    }

    @Override
    protected void cutFeed() {
        claims.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name ="
                + " 'conflictguard-listen' AND datname = current_database()");
    }

    @Override
    protected void closeStores() {
        if (claims != null) {
            claims.close();
        }
    }
}
