package org.conflictguard.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** An application with two MeterRegistry beans, neither of them chosen. */
@ApplicationScoped
public class TwoRegistries {

    static final SimpleMeterRegistry FIRST = new SimpleMeterRegistry();
    static final SimpleMeterRegistry SECOND = new SimpleMeterRegistry();

    @Produces
    @Singleton
    MeterRegistry first() {
        return FIRST;
    }

    @Produces
    @Singleton
    SimpleMeterRegistry second() {
        return SECOND;
    }
}
