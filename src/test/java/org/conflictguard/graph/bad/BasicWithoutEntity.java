package org.conflictguard.graph.bad;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.conflictguard.DependsOn;

@Entity
@DependsOn("ownerId")
public class BasicWithoutEntity {
    @Id
    public Long id;
    public Long ownerId;
}
