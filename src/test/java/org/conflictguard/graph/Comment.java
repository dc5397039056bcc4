package org.conflictguard.graph;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.conflictguard.DependsOn;

/** Refers to its Task by a plain id column: no association is mapped. */
@Entity
@DependsOn(value = "taskId", entity = Task.class)
public class Comment {
    @Id
    public String id;
    public Long taskId;
    public String text;

    protected Comment() {
    }

    public Comment(String id, long taskId, String text) {
        this.id = id;
        this.taskId = taskId;
        this.text = text;
    }
}
