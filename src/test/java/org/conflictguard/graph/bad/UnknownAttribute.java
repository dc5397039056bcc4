package org.conflictguard.graph.bad;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.conflictguard.DependsOn;

@Entity
@DependsOn("projct")
public class UnknownAttribute {
    @Id
    public Long id;
}
