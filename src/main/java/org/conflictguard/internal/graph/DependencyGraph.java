package org.conflictguard.internal.graph;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.spi.DependencyResolver;

/**
 * Expands rows to the rows that depend on them, following the {@link EntityModel}'s edges and the
 * resolvers, with one query per edge per level per chunk of {@value #CHUNK} ids, never one per
 * row. Not API. Thread-safe.
 */
public final class DependencyGraph {

    static final int CHUNK = 500;

    private final EntityModel model;

    /** A graph over the model's edges and resolvers. */
    public DependencyGraph(EntityModel model) {
        this.model = model;
    }

    /** The model the graph follows. */
    public EntityModel model() {
        return model;
    }

    /**
     * The rows, plus every row that depends on them, transitively; ids in canonical form.
     *
     * @param onQuery told once per query issued
     * @throws InvalidClaimException if a row's id is not valid for its entity
     * @throws IllegalStateException if a resolver returns a null row
     */
    public TreeSet<Row> expand(Collection<Row> roots, IntConsumer onQuery) {
        TreeSet<Row> all = new TreeSet<>(model.canonical(roots));
        List<Row> frontier = new ArrayList<>(all);
        EntityManager em = null;
        try {
            while (!frontier.isEmpty()) {
                List<Row> next = new ArrayList<>();
                for (Map.Entry<String, List<Row>> group : byEntity(frontier).entrySet()) {
                    for (EntityModel.Edge edge : model.edgesFrom(group.getKey())) {
                        List<Object> ids = group.getValue().stream().map(r -> model.parentId(edge, r)).toList();
                        for (int from = 0; from < ids.size(); from += CHUNK) {
                            if (em == null) {
                                em = model.emf().createEntityManager();
                            }
                            List<?> children = em.createQuery(edge.jpql())
                                    .setParameter("ids", ids.subList(from, Math.min(from + CHUNK, ids.size())))
                                    .getResultList();
                            onQuery.accept(1);
                            for (Object id : children) {
                                add(all, next, Row.of(edge.child(), id));
                            }
                        }
                    }
                }
                for (Map.Entry<DependencyResolver, Set<String>> resolver : model.resolvers().entrySet()) {
                    List<Row> theirs = frontier.stream().filter(r -> resolver.getValue().contains(r.entity())).toList();
                    if (!theirs.isEmpty()) {
                        for (Row row : resolver.getKey().dependentsOf(theirs)) {
                            if (row == null) {
                                throw new IllegalStateException("Dependency resolver " + resolver.getKey().getClass()
                                        .getName() + " returned a null row");
                            }
                            add(all, next, model.canonical(row));
                        }
                    }
                }
                frontier = next;
            }
        } finally {
            if (em != null) {
                em.close();
            }
        }
        return all;
    }

    /**
     * The rows of {@code types} below {@code roots} (the roots not included), following only the
     * edges that can lead to one of those types: a subtree claim finds what it must name this
     * way (rows a resolver expands, rows with several parents) without reading the rest of the
     * tree.
     *
     * @param onQuery told once per query issued
     */
    public Set<Row> descendantsOfTypes(Collection<Row> roots, Set<String> types, IntConsumer onQuery) {
        Set<String> leading = leadingTo(types);
        Set<Row> seen = new java.util.HashSet<>(roots);
        Set<Row> found = new TreeSet<>();
        List<Row> frontier = new ArrayList<>(roots);
        EntityManager em = null;
        try {
            while (!frontier.isEmpty()) {
                List<Row> next = new ArrayList<>();
                for (Map.Entry<String, List<Row>> group : byEntity(frontier).entrySet()) {
                    for (EntityModel.Edge edge : model.edgesFrom(group.getKey())) {
                        if (!leading.contains(edge.child())) {
                            continue;
                        }
                        List<Object> ids = group.getValue().stream().map(r -> model.parentId(edge, r)).toList();
                        for (int from = 0; from < ids.size(); from += CHUNK) {
                            if (em == null) {
                                em = model.emf().createEntityManager();
                            }
                            List<?> children = em.createQuery(edge.jpql())
                                    .setParameter("ids", ids.subList(from, Math.min(from + CHUNK, ids.size())))
                                    .getResultList();
                            onQuery.accept(1);
                            for (Object id : children) {
                                Row row = Row.of(edge.child(), id);
                                if (seen.add(row)) {
                                    next.add(row);
                                    if (types.contains(row.entity())) {
                                        found.add(row);
                                    }
                                }
                            }
                        }
                    }
                }
                frontier = next;
            }
        } finally {
            if (em != null) {
                em.close();
            }
        }
        return found;
    }

    /** The entity names from which one of {@code types} can be reached going down the edges, themselves included. */
    private Set<String> leadingTo(Set<String> types) {
        Set<String> leading = new java.util.HashSet<>(types);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String entity : model.entityNames()) {
                if (!leading.contains(entity)) {
                    for (EntityModel.Edge edge : model.edgesFrom(entity)) {
                        if (leading.contains(edge.child())) {
                            grew |= leading.add(entity);
                            break;
                        }
                    }
                }
            }
        }
        return leading;
    }

    private static void add(TreeSet<Row> all, List<Row> next, Row row) {
        if (all.add(row)) {
            next.add(row);
        }
    }

    private static Map<String, List<Row>> byEntity(List<Row> rows) {
        Map<String, List<Row>> byEntity = new LinkedHashMap<>();
        for (Row row : rows) {
            byEntity.computeIfAbsent(row.entity(), k -> new ArrayList<>()).add(row);
        }
        return byEntity;
    }
}
