package org.conflictguard.internal.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.Scope;
import org.conflictguard.spi.DependencyResolver;

/**
 * Turns the rows of a request into what a store keeps: a row whose entity has dependents is
 * marked with its subtree (one mark, whatever the subtree's size), any other row alone; rows a
 * {@link DependencyResolver} adds are marked the same way, each on its own; and every row of an
 * entity with several parents found inside a claimed subtree is marked too, so that two subtrees
 * sharing it meet there. The ancestors of all marks get intentions. Work grows with the depth of
 * the tree and the rows resolvers and several-parent entities contribute, not with its size.
 * Not API. Thread-safe.
 */
public final class ClaimPlanner {

    /**
     * What a claim stores: the marks, sorted by row, and the strict ancestors of every mark,
     * sorted.
     */
    public record Plan(List<Mark> marks, List<Row> ancestors) {
        /** The marked rows, sorted. */
        public List<Row> rows() {
            return marks.stream().map(Mark::row).toList();
        }
    }

    private final DependencyGraph graph;
    private final Lineage lineage;

    public ClaimPlanner(DependencyGraph graph, Lineage lineage) {
        this.graph = graph;
        this.lineage = lineage;
    }

    /**
     * @param rows the rows named, ids canonical
     * @param dependents whether the rows' dependents are claimed too
     * @param onQuery told once per query issued
     * @throws InvalidClaimException if a row's id is not valid for its entity
     * @throws IllegalStateException if a resolver returns a null row
     */
    public Plan plan(Collection<Row> rows, boolean dependents, IntConsumer onQuery) {
        EntityModel model = graph.model();
        TreeMap<Row, Scope> marks = new TreeMap<>();
        if (!dependents) {
            model.canonical(rows).forEach(r -> marks.put(r, Scope.ROW));
        } else {
            Map<DependencyResolver, Set<String>> resolvers = model.resolvers();
            Set<String> wanted = new HashSet<>(model.resolverEntities());
            for (String entity : model.entityNames()) {
                if (model.isMultiParent(entity)) {
                    wanted.add(entity);
                }
            }
            Set<Row> resolved = new HashSet<>();
            List<Row> frontier = new ArrayList<>(new TreeSet<>(model.canonical(rows)));
            while (!frontier.isEmpty()) {
                List<Row> added = new ArrayList<>();
                List<Row> roots = new ArrayList<>();
                for (Row row : frontier) {
                    if (marks.putIfAbsent(row, scopeOf(row)) == null) {
                        added.add(row);
                        if (marks.get(row) == Scope.SUBTREE) {
                            roots.add(row);
                        }
                    }
                }
                List<Row> inside = new ArrayList<>(roots.isEmpty() || wanted.isEmpty() ? Set.of()
                        : graph.descendantsOfTypes(roots, wanted, onQuery));
                for (Row row : inside) {
                    if (model.isMultiParent(row.entity())) {
                        marks.putIfAbsent(row, scopeOf(row));
                    }
                }
                List<Row> next = new ArrayList<>();
                for (Map.Entry<DependencyResolver, Set<String>> resolver : resolvers.entrySet()) {
                    List<Row> theirs = new ArrayList<>();
                    for (List<Row> candidates : List.of(added, inside)) {
                        for (Row row : candidates) {
                            if (resolver.getValue().contains(row.entity())) {
                                theirs.add(row);
                            }
                        }
                    }
                    if (theirs.isEmpty()) {
                        continue;
                    }
                    for (Row row : resolver.getKey().dependentsOf(theirs)) {
                        if (row == null) {
                            throw new IllegalStateException("Dependency resolver " + resolver.getKey().getClass()
                                    .getName() + " returned a null row");
                        }
                        Row canonical = model.canonical(row);
                        if (resolved.add(canonical) && !marks.containsKey(canonical)) {
                            next.add(canonical);
                        }
                    }
                }
                frontier = next;
            }
        }
        Set<Row> ancestors = new TreeSet<>();
        for (Set<Row> above : lineage.ancestorsOf(marks.keySet(), onQuery).values()) {
            ancestors.addAll(above);
        }
        List<Mark> list = new ArrayList<>(marks.size());
        marks.forEach((row, scope) -> list.add(new Mark(row, scope)));
        return new Plan(list, List.copyOf(ancestors));
    }

    private Scope scopeOf(Row row) {
        return graph.model().hasChildren(row.entity()) ? Scope.SUBTREE : Scope.ROW;
    }
}
