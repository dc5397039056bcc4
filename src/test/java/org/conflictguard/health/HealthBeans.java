package org.conflictguard.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.conflictguard.spi.ClaimStore;

/** What the application provides to the readiness check's test: a claim store. */
@ApplicationScoped
public class HealthBeans {

    static volatile ClaimStore store;

    @Produces
    ClaimStore store() {
        return store;
    }
}
