package org.conflictguard.example.tracker;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;
import java.time.LocalDate;
import org.conflictguard.DependsOn;

/** A task of a milestone: claimed with its milestone, and so with its project. */
@Entity
@DependsOn("milestone")
public class Task {

    @Id
    private long id;

    private String title;

    private LocalDate due;

    @ManyToOne(optional = false)
    private Milestone milestone;

    @Version
    private long version;

    protected Task() {
    }

    public Task(long id, String title, LocalDate due, Milestone milestone) {
        this.id = id;
        this.title = title;
        this.due = due;
        this.milestone = milestone;
    }

    public long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public LocalDate getDue() {
        return due;
    }

    public void setDue(LocalDate due) {
        this.due = due;
    }

    public Milestone getMilestone() {
        return milestone;
    }

    public void setMilestone(Milestone milestone) {
        this.milestone = milestone;
    }

    public long getVersion() {
        return version;
    }
}
