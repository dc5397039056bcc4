package org.conflictguard.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conflictguard.ClaimEvent;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.graph.SharedTaskResolver;

/** What the application provides: its persistence unit, a claim store, a resolver; and an observer of claim events. */
@ApplicationScoped
public class TestBeans extends SharedTaskResolver {

    static volatile EntityManagerFactory tracker;
    static volatile ClaimStore store;
    static final List<ClaimEvent> EVENTS = new CopyOnWriteArrayList<>();
    /** The application's meter registry, which the guard reports to. */
    static final io.micrometer.core.instrument.simple.SimpleMeterRegistry METERS =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    @Produces
    io.micrometer.core.instrument.MeterRegistry meters() {
        return METERS;
    }

    @Produces
    EntityManagerFactory tracker() {
        return tracker;
    }

    @Produces
    ClaimStore store() {
        return store;
    }

    void record(@Observes ClaimEvent event) {
        EVENTS.add(event);
    }
}
