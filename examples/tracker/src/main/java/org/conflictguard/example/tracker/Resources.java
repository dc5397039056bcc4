package org.conflictguard.example.tracker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

/**
 * Gives the library the application's unit, from which it reads the {@code @DependsOn} graph, and
 * the application's meter registry, to which it reports its meters.
 */
@ApplicationScoped
public class Resources {

    @Produces
    @PersistenceUnit(unitName = "tracker")
    EntityManagerFactory tracker;

    @Produces
    @jakarta.inject.Singleton
    io.micrometer.core.instrument.MeterRegistry meters() {
        return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    }
}
