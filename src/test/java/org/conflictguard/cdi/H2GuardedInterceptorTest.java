package org.conflictguard.cdi;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;

/** The interceptor suite with claims in the database (H2). */
class H2GuardedInterceptorTest extends GuardedInterceptorTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return JpaClaimStore.create(db.emf(), namespace);
    }
}
