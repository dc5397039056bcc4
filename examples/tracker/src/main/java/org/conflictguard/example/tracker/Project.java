package org.conflictguard.example.tracker;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

/** A project: the root of a tree of milestones and tasks. */
@Entity
public class Project {

    @Id
    private long id;

    private String name;

    @Version
    private long version;

    protected Project() {
    }

    public Project(long id, String name) {
        this.id = id;
        this.name = name;
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

    public long getVersion() {
        return version;
    }
}
