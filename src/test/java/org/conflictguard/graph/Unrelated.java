package org.conflictguard.graph;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Takes no part in the graph: its writes are never checked. */
@Entity
public class Unrelated {
    @Id
    public Long id;
    public String text;

    protected Unrelated() {
    }

    public Unrelated(long id, String text) {
        this.id = id;
        this.text = text;
    }
}
