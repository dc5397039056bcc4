package org.conflictguard.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.conflictguard.ClaimRequest;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.internal.graph.ClaimPlanner;
import org.conflictguard.internal.graph.DependencyGraph;
import org.conflictguard.internal.graph.Lineage;
import org.conflictguard.spi.ClaimStore;

/**
 * The rows a request or a question is about: checked, ids in the canonical form of their
 * entity's id type; a request planned into marks and intentions; a row's coverage by other
 * claims (its own mark, or a subtree mark on an ancestor). Without a graph, rows are taken as
 * given, each alone. Thread-safe.
 */
final class ClaimRows {

    private final DependencyGraph graph;
    private final Lineage lineage;
    private final ClaimPlanner planner;

    /** @param graph the dependency graph, or null for none */
    ClaimRows(DependencyGraph graph) {
        this.graph = graph;
        this.lineage = graph == null ? null : new Lineage(graph.model());
        this.planner = graph == null ? null : new ClaimPlanner(graph, lineage);
    }

    /** Where rows sit in the hierarchy, or null without a graph. */
    Lineage lineage() {
        return lineage;
    }

    /** What a claim of this request stores. */
    ClaimPlanner.Plan plan(ClaimRequest request) {
        Arguments.checkRows(request.rows());
        if (planner == null) {
            return new ClaimPlanner.Plan(request.rows().stream().map(r -> new Mark(r, Scope.ROW)).toList(), List.of());
        }
        return planner.plan(request.rows(), request.includesDependents(), q -> { });
    }

    /** The rows with every row that depends on them, sorted and distinct: what a claim covers, enumerated. */
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

    /** The strict ancestors of a row, nearest first, from the write checks' cache; none without a graph. */
    Set<Row> ancestorsOf(Row row) {
        return lineage == null ? Set.of() : lineage.cachedAncestorsOf(row);
    }

    /**
     * Which of these rows live claims hold, and how: a mark on the row itself, or a subtree mark
     * on its nearest marked ancestor (named as {@code within}). One store call.
     */
    Map<Row, RowClaim> inspect(ClaimStore store, Collection<Row> rows) {
        List<Row> asked = canonical(rows);
        Map<Row, Set<Row>> ancestors = lineage == null ? Map.of() : lineage.ancestorsOf(asked, q -> { });
        Set<Row> all = new LinkedHashSet<>(asked);
        ancestors.values().forEach(all::addAll);
        Map<Row, RowClaim> marks = store.marksOn(all);
        Map<Row, RowClaim> held = new LinkedHashMap<>();
        for (Row row : asked) {
            RowClaim own = marks.get(row);
            if (own != null) {
                held.put(row, own);
                continue;
            }
            for (Row ancestor : ancestors.getOrDefault(row, Set.of())) {
                RowClaim above = marks.get(ancestor);
                if (above != null && above.scope() == Scope.SUBTREE) {
                    held.put(row, new RowClaim(row, above.holder(), Scope.SUBTREE, ancestor));
                    break;
                }
            }
        }
        return held;
    }

    /**
     * The rows of a refused request that live claims hold: the store's answer when the request
     * stands outside any hierarchy (then it names exactly the held rows), else every row the
     * request covers, enumerated, that a live claim covers in a mode that conflicts with the
     * request's. Empty if nothing is held any more.
     */
    List<RowClaim> conflicts(ClaimStore store, ClaimRequest request, ClaimPlanner.Plan plan, List<RowClaim> refused) {
        boolean hierarchical = !plan.ancestors().isEmpty()
                || plan.marks().stream().anyMatch(m -> m.scope() == Scope.SUBTREE);
        if (!hierarchical) {
            return refused;
        }
        Set<Row> covered = new TreeSet<>(plan.rows());
        if (request.includesDependents()) {
            covered.addAll(expand(request.rows()));
        }
        List<RowClaim> held = new ArrayList<>(new TreeMap<>(inspect(store, covered)).values());
        held.removeIf(c -> request.mode().compatibleWith(c.holder().mode()));
        return held;
    }
}
