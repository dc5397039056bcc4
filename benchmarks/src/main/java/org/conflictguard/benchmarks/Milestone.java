package org.conflictguard.benchmarks;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** Depends on its project. */
@Entity
@DependsOn("project")
public class Milestone {

    @Id
    public Long id;

    public String name;

    @ManyToOne(fetch = FetchType.LAZY)
    public Project project;

    protected Milestone() {
    }

    public Milestone(long id, String name, Project project) {
        this.id = id;
        this.name = name;
        this.project = project;
    }
}
