package org.conflictguard.graph.bad;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.ManyToOne;
import java.io.Serializable;
import java.util.Objects;
import org.conflictguard.DependsOn;

@Entity
@IdClass(CompositeId.Key.class)
@DependsOn("parent")
public class CompositeId {
    @Id
    public Long a;
    @Id
    public Long b;
    @ManyToOne
    public CompositeParent parent;

    public static class Key implements Serializable {
        public Long a;
        public Long b;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(a, k.a) && Objects.equals(b, k.b);
        }

        @Override
        public int hashCode() {
            return Objects.hash(a, b);
        }
    }
}
