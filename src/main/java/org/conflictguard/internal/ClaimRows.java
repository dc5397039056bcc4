package org.conflictguard.internal;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.conflictguard.ClaimRequest;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.internal.graph.DependencyGraph;

/**
 * The rows a request or a question is about: checked, ids in the canonical form of their
 * entity's id type, and, for a claim that includes dependents, expanded through the graph.
 * Without a graph, rows are taken as given. Thread-safe.
 */
final class ClaimRows {

    private final DependencyGraph graph;

    /** @param graph the dependency graph, or null for none */
    ClaimRows(DependencyGraph graph) {
        this.graph = graph;
    }

    /** What a claim of this request covers, sorted and distinct. */
    List<Row> of(ClaimRequest request) {
        return request.includesDependents() ? expand(request.rows()) : canonical(request.rows());
    }

    /** The rows with every row that depends on them, sorted and distinct. */
    List<Row> expand(Collection<Row> rows) {
        Arguments.checkRows(rows);
        return List.copyOf(graph == null ? new TreeSet<>(rows) : graph.expand(rows, queries -> { }));
    }

    /**
     * The rows with canonical ids, sorted and distinct.
     *
     * @throws InvalidClaimException if an id is not valid for its entity
     */
    List<Row> canonical(Collection<Row> rows) {
        Arguments.checkRows(rows);
        return List.copyOf(new TreeSet<>(graph == null ? rows : graph.model().canonical(rows)));
    }
}
