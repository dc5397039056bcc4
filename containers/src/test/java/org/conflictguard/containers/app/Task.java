package org.conflictguard.containers.app;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** A dependent of its project: claiming the project claims its tasks. */
@Entity
@DependsOn("project")
public class Task {

    @Id
    private long id;
    private String title;
    @ManyToOne(optional = false)
    private Project project;

    protected Task() {
    }

    public Task(long id, String title, Project project) {
        this.id = id;
        this.title = title;
        this.project = project;
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

    public Project getProject() {
        return project;
    }
}
