package org.conflictguard.graph.dag;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** Two parents: claiming an area claims its jobs, and so does claiming a crew. */
@Entity
@DependsOn("area")
@DependsOn("crew")
public class Job {
    @Id
    public Long id;
    public String title;
    @ManyToOne
    public Area area;
    @ManyToOne
    public Crew crew;

    protected Job() {
    }

    public Job(long id, Area area, Crew crew) {
        this.id = id;
        this.area = area;
        this.crew = crew;
    }
}
