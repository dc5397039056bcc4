package org.conflictguard.graph;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.conflictguard.Row;
import org.conflictguard.spi.DependencyResolver;

/** A dependent no annotation can express: in this application project 1 shares task 4 with project 2. */
public class SharedTaskResolver implements DependencyResolver {

    @Override
    public Set<String> entities() {
        return Set.of("Project");
    }

    @Override
    public Collection<Row> dependentsOf(Collection<Row> rows) {
        return rows.contains(Row.of("Project", 1)) ? List.of(Row.of("Task", 4)) : List.of();
    }
}
