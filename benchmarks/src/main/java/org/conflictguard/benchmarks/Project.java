package org.conflictguard.benchmarks;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** The root of the benchmarks' tree. */
@Entity
public class Project {

    @Id
    public Long id;

    public String name;

    protected Project() {
    }

    public Project(long id, String name) {
        this.id = id;
        this.name = name;
    }
}
