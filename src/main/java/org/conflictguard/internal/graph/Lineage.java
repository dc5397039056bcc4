package org.conflictguard.internal.graph;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.conflictguard.Row;

/**
 * Where rows sit in the {@code @DependsOn} hierarchy: each row's parents (through every edge of
 * its entity) and, by walking them, its ancestors, with cycles ended. Parents come from batched
 * queries (one per edge per {@value #CHUNK} rows, never one per row). Claims always ask the
 * database, so the intentions they write follow the tree as it is. Write checks may answer from a
 * cache, filled by those queries and by this JVM's own moves: an entry is replaced as soon as this
 * JVM sees its row move, and is not used once it is older than {@link #MAX_AGE} (a move on another
 * node reaches this cache no later than that). What the application loads is kept beside it, to
 * tell whether an update moves a row, but never counts as fresh: it may come from a provider's
 * shared cache. The cache holds at most
 * {@value #CAPACITY} rows, least recently used first out. Not API. Thread-safe.
 */
public final class Lineage {

    static final int CHUNK = 500;
    static final int CAPACITY = 200_000;
    /** How long a cached entry answers write checks. */
    public static final java.time.Duration MAX_AGE = java.time.Duration.ofSeconds(1);

    /**
     * A row's parents and when (System.nanoTime) they were read from the database or written by
     * this JVM; and its parents as the application last loaded them (which may come from a cache
     * of the provider's, and so never count as fresh), for telling whether an update moves it.
     */
    private record Entry(List<Row> parents, long readAt, List<Row> loaded) {
    }

    private final EntityModel model;
    private final Map<Row, Entry> parents = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Row, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Lineage over the model's edges. */
    public Lineage(EntityModel model) {
        this.model = model;
    }

    /** The model it follows. */
    public EntityModel model() {
        return model;
    }

    /**
     * The parents of each row (rows of entities without edges have none): from the cache when
     * {@code cached} and the entry is young enough, else from the database.
     *
     * @param onQuery told once per query issued
     */
    public Map<Row, List<Row>> parentsOf(Collection<Row> rows, boolean cached, IntConsumer onQuery) {
        Map<Row, List<Row>> found = new LinkedHashMap<>();
        Map<String, List<Row>> missing = new LinkedHashMap<>();
        long now = System.nanoTime();
        synchronized (parents) {
            for (Row row : rows) {
                if (!model.hasParents(row.entity())) {
                    found.put(row, List.of());
                    continue;
                }
                Entry entry = cached ? parents.get(row) : null;
                if (entry != null && now - entry.readAt() < MAX_AGE.toNanos()) {
                    found.put(row, entry.parents());
                } else {
                    missing.computeIfAbsent(row.entity(), k -> new ArrayList<>()).add(row);
                }
            }
        }
        for (Map.Entry<String, List<Row>> group : missing.entrySet()) {
            Map<Row, List<Row>> looked = lookUp(group.getKey(), group.getValue(), onQuery);
            synchronized (parents) {
                looked.forEach((row, rowParents) -> {
                    Entry before = parents.get(row);
                    parents.put(row, new Entry(rowParents, now, before == null ? rowParents : before.loaded()));
                });
            }
            found.putAll(looked);
        }
        return found;
    }

    /** The parents of one row, as the database says now. */
    public List<Row> parentsOf(Row row) {
        return parentsOf(List.of(row), false, q -> { }).get(row);
    }

    /**
     * The strict ancestors of each row, nearest first (all parents, then theirs, ...), a row that
     * is its own ancestor through a cycle included, as the database says now; one round of
     * queries per level for all rows.
     */
    public Map<Row, Set<Row>> ancestorsOf(Collection<Row> rows, IntConsumer onQuery) {
        return ancestorsOf(rows, false, onQuery);
    }

    /** {@link #ancestorsOf(Collection, IntConsumer)}, from the cache where its entries are young enough. */
    public Map<Row, Set<Row>> cachedAncestorsOf(Collection<Row> rows) {
        return ancestorsOf(rows, true, q -> { });
    }

    private Map<Row, Set<Row>> ancestorsOf(Collection<Row> rows, boolean cached, IntConsumer onQuery) {
        Map<Row, Set<Row>> ancestors = new LinkedHashMap<>();
        Map<Row, List<Row>> frontier = new LinkedHashMap<>();
        for (Row row : rows) {
            ancestors.put(row, new LinkedHashSet<>());
            frontier.put(row, List.of(row));
        }
        while (!frontier.isEmpty()) {
            Set<Row> level = new LinkedHashSet<>();
            frontier.values().forEach(level::addAll);
            Map<Row, List<Row>> up = parentsOf(level, cached, onQuery);
            Map<Row, List<Row>> next = new LinkedHashMap<>();
            for (Map.Entry<Row, List<Row>> entry : frontier.entrySet()) {
                Set<Row> seen = ancestors.get(entry.getKey());
                List<Row> added = new ArrayList<>();
                for (Row at : entry.getValue()) {
                    for (Row parent : up.getOrDefault(at, List.of())) {
                        if (seen.add(parent)) {
                            added.add(parent);
                        }
                    }
                }
                if (!added.isEmpty()) {
                    next.put(entry.getKey(), added);
                }
            }
            frontier = next;
        }
        return ancestors;
    }

    /** The strict ancestors of one row, nearest first, from the cache where young enough (for write checks). */
    public Set<Row> cachedAncestorsOf(Row row) {
        Set<Row> ancestors = new LinkedHashSet<>();
        if (walkCached(List.of(row), ancestors)) {
            return ancestors;
        }
        return cachedAncestorsOf(List.of(row)).get(row);
    }

    /**
     * The strict ancestors of a row whose parents are known (a row being written: its parents
     * from its fields), nearest first, from the cache where young enough (for write checks).
     */
    public Set<Row> ancestorsThrough(Collection<Row> parentsOfRow) {
        Set<Row> ancestors = new LinkedHashSet<>(parentsOfRow);
        if (walkCached(parentsOfRow, ancestors)) {
            return ancestors;
        }
        ancestors = new LinkedHashSet<>(parentsOfRow);
        for (Set<Row> above : cachedAncestorsOf(parentsOfRow).values()) {
            ancestors.addAll(above);
        }
        return ancestors;
    }

    /**
     * The hot path of a write check: adds the ancestors of {@code from} to {@code ancestors},
     * nearest first, walking only cache entries young enough, under one lock and with no query.
     * False (and {@code ancestors} partly filled) when an entry is missing or too old.
     */
    private boolean walkCached(Collection<Row> from, Set<Row> ancestors) {
        long now = System.nanoTime();
        long maxAge = MAX_AGE.toNanos();
        java.util.ArrayDeque<Row> todo = new java.util.ArrayDeque<>(from);
        synchronized (parents) {
            while (!todo.isEmpty()) {
                Row row = todo.poll();
                if (!model.hasParents(row.entity())) {
                    continue;
                }
                Entry entry = parents.get(row);
                if (entry == null || now - entry.readAt() >= maxAge) {
                    return false;
                }
                for (Row parent : entry.parents()) {
                    if (ancestors.add(parent)) {
                        todo.add(parent);
                    }
                }
            }
        }
        return true;
    }

    /**
     * What the application loaded as a row's parents, whatever the entry's age (to tell whether an
     * update moves the row), or null.
     */
    public List<Row> cachedParents(Row row) {
        synchronized (parents) {
            Entry entry = parents.get(row);
            return entry == null ? null : entry.loaded();
        }
    }

    /** Records a row's parents as this JVM wrote them (a move it checked): fresh. */
    public void record(Row row, List<Row> rowParents) {
        synchronized (parents) {
            List<Row> copy = List.copyOf(rowParents);
            parents.put(row, new Entry(copy, System.nanoTime(), copy));
        }
    }

    /**
     * Records a row's parents as the application loaded them, to tell later whether an update
     * moves the row. Loaded state may come from the provider's shared cache (EclipseLink keeps one
     * by default), which a move made elsewhere does not reach, so it never makes the ancestry
     * the write checks use any younger: a row known only from loading is read from the database
     * when a check first needs its ancestors.
     */
    public void recordLoaded(Row row, List<Row> rowParents) {
        List<Row> copy = List.copyOf(rowParents);
        synchronized (parents) {
            Entry entry = parents.get(row);
            long stale = System.nanoTime() - MAX_AGE.toNanos() - 1;
            parents.put(row, entry == null ? new Entry(copy, stale, copy) : new Entry(entry.parents(), entry.readAt(),
                    copy));
        }
    }

    /** Forgets what the cache knows of these rows (they may have moved elsewhere). */
    public void forget(Collection<Row> rows) {
        synchronized (parents) {
            rows.forEach(parents::remove);
        }
    }

    /** Forgets everything (the cache may be stale). */
    public void forgetAll() {
        synchronized (parents) {
            parents.clear();
        }
    }

    private Map<Row, List<Row>> lookUp(String entity, List<Row> rows, IntConsumer onQuery) {
        Map<Row, List<Row>> found = new LinkedHashMap<>();
        rows.forEach(r -> found.put(r, new ArrayList<>()));
        EntityManager em = model.emf().createEntityManager();
        try {
            for (EntityModel.Edge edge : model.edgesTo(entity)) {
                List<Object> ids = rows.stream().map(r -> model.childId(edge, r)).toList();
                for (int from = 0; from < ids.size(); from += CHUNK) {
                    List<?> pairs = em.createQuery(edge.parentJpql())
                            .setParameter("ids", ids.subList(from, Math.min(from + CHUNK, ids.size())))
                            .getResultList();
                    onQuery.accept(1);
                    for (Object pair : pairs) {
                        Object[] columns = (Object[]) pair;
                        if (columns[1] != null) {
                            List<Row> of = found.get(Row.of(entity, columns[0]));
                            Row parent = Row.of(edge.parent(), columns[1]);
                            if (of != null && !of.contains(parent)) {
                                of.add(parent);
                            }
                        }
                    }
                }
            }
        } finally {
            em.close();
        }
        found.replaceAll((row, list) -> List.copyOf(list));
        return found;
    }
}
