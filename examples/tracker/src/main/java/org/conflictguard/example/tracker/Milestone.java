package org.conflictguard.example.tracker;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;
import java.time.LocalDate;
import org.conflictguard.DependsOn;

/** A milestone of a project: claimed with its project. */
@Entity
@DependsOn("project")
public class Milestone {

    @Id
    private long id;

    private String name;

    private LocalDate due;

    @ManyToOne(optional = false)
    private Project project;

    @Version
    private long version;

    protected Milestone() {
    }

    public Milestone(long id, String name, LocalDate due, Project project) {
        this.id = id;
        this.name = name;
        this.due = due;
        this.project = project;
    }

    public long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public LocalDate getDue() {
        return due;
    }

    public void setDue(LocalDate due) {
        this.due = due;
    }

    public Project getProject() {
        return project;
    }

    public void setProject(Project project) {
        this.project = project;
    }

    public long getVersion() {
        return version;
    }
}
