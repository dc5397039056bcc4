package org.conflictguard.containers.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

/** Gives the library the application's unit, from which it reads the {@code @DependsOn} graph. */
@ApplicationScoped
public class Resources {

    @Produces
    @PersistenceUnit(unitName = "containers")
    EntityManagerFactory containers;
}
