package org.conflictguard.graph.bad;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class CompositeParent {
    @Id
    public Long id;
}
