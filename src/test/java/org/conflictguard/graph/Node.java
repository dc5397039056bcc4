package org.conflictguard.graph;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** Depends on another Node: a cycle between entity types, and in the data too. */
@Entity
@DependsOn("parent")
public class Node {
    @Id
    public Long id;
    @ManyToOne
    public Node parent;
    public String label;

    protected Node() {
    }

    public Node(long id, Node parent) {
        this.id = id;
        this.parent = parent;
    }
}
