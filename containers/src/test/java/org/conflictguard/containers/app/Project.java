package org.conflictguard.containers.app;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** The root of a claimed tree. */
@Entity
public class Project {

    @Id
    private long id;
    private String name;

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
}
