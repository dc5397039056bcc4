package org.conflictguard.benchmarks;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** Depends on its milestone. */
@Entity
@DependsOn("milestone")
public class Task {

    @Id
    public Long id;

    public String title;

    public int priority;

    @ManyToOne(fetch = FetchType.LAZY)
    public Milestone milestone;

    protected Task() {
    }

    public Task(long id, String title, Milestone milestone) {
        this.id = id;
        this.title = title;
        this.milestone = milestone;
    }
}
