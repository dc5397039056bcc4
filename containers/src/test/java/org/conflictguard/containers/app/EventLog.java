package org.conflictguard.containers.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conflictguard.ClaimEvent;

/** Every claim event the guard fired as a CDI event. */
@ApplicationScoped
public class EventLog {

    private final List<ClaimEvent> events = new CopyOnWriteArrayList<>();

    void on(@Observes ClaimEvent event) {
        events.add(event);
    }

    public List<ClaimEvent> of(String label) {
        return events.stream().filter(e -> label.equals(e.label())).toList();
    }
}
