package org.conflictguard.spi;

import java.util.Collection;
import java.util.Set;
import org.conflictguard.Row;

/**
 * Adds dependents that {@link org.conflictguard.DependsOn} cannot express: computed,
 * cross-database or application-specific ones. While a claim set is expanded, each resolver is
 * called once per level of the expansion with the newly added rows of the entities it names,
 * and the rows it returns join the set (and are expanded in turn). Combines with the
 * annotations.
 *
 * <p>Implementations must be thread-safe; in a CDI container, application beans implementing
 * this interface are found automatically.
 */
public interface DependencyResolver {

    /**
     * The entity names whose rows this resolver expands. Checked at startup: naming an entity
     * the persistence unit does not map fails the guard's startup.
     */
    Set<String> entities();

    /**
     * The rows that depend on {@code rows}.
     *
     * @param rows rows of the entities named by {@link #entities()}, newly added to the claim set
     * @return dependent rows, of any entity; rows already in the set are ignored
     */
    Collection<Row> dependentsOf(Collection<Row> rows);
}
