package org.conflictguard.graph;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** Depends on the Project its milestone belongs to (a path of two to-one associations). */
@Entity
@DependsOn("milestone.project")
public class Risk {
    @Id
    public Long id;
    public String text;
    @ManyToOne
    public Milestone milestone;

    protected Risk() {
    }

    public Risk(long id, String text, Milestone milestone) {
        this.id = id;
        this.text = text;
        this.milestone = milestone;
    }
}
