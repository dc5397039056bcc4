package org.conflictguard.graph;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** Claiming a Milestone claims its Tasks. */
@Entity
@DependsOn("milestone")
public class Task {
    @Id
    public Long id;
    public String title;
    @ManyToOne
    public Milestone milestone;

    protected Task() {
    }

    public Task(long id, String title, Milestone milestone) {
        this.id = id;
        this.title = title;
        this.milestone = milestone;
    }
}
