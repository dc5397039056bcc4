package org.conflictguard.graph.dag;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A root: jobs belong to an area. */
@Entity
public class Area {
    @Id
    public Long id;

    protected Area() {
    }

    public Area(long id) {
        this.id = id;
    }
}
