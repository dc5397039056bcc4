package org.conflictguard.graph.dag;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Another root: jobs are staffed by a crew. */
@Entity
public class Crew {
    @Id
    public Long id;

    protected Crew() {
    }

    public Crew(long id) {
        this.id = id;
    }
}
