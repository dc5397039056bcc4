package org.conflictguard.graph.bad;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import java.util.List;
import org.conflictguard.DependsOn;

@Entity
@DependsOn("children")
public class CollectionPath {
    @Id
    public Long id;
    @OneToMany
    public List<CollectionPath> children;
}
