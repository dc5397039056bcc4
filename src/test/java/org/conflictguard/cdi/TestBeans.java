package org.conflictguard.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conflictguard.ClaimEvent;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.DependencyResolver;

/** What the application provides: its persistence unit, a claim store, a resolver; and an observer of claim events. */
@ApplicationScoped
public class TestBeans implements DependencyResolver {

    static volatile EntityManagerFactory tracker;
    static volatile ClaimStore store;
    static final List<ClaimEvent> EVENTS = new CopyOnWriteArrayList<>();

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

    @Override
    public Set<String> entities() {
        return Set.of("Project");
    }

    @Override
    public Collection<Row> dependentsOf(Collection<Row> rows) {
        return rows.contains(Row.of("Project", 1)) ? List.of(Row.of("Task", 4)) : List.of();
    }
}
