package org.conflictguard.graph;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

/** Top of the tracker's tree. */
@Entity
public class Project {
    @Id
    public Long id;
    public String name;
    @Version
    public long version;

    protected Project() {
    }

    public Project(long id, String name) {
        this.id = id;
        this.name = name;
    }
}
