package org.conflictguard.graph.dag;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.conflictguard.DependsOn;

/** Below a job: its ancestors are the job, the job's area and the job's crew. */
@Entity
@DependsOn("job")
public class Step {
    @Id
    public Long id;
    public String title;
    @ManyToOne
    public Job job;

    protected Step() {
    }

    public Step(long id, Job job) {
        this.id = id;
        this.job = job;
    }
}
