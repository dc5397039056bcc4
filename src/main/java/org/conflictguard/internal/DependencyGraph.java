package org.conflictguard.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnitUtil;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.ManagedType;
import jakarta.persistence.metamodel.Metamodel;
import jakarta.persistence.metamodel.SingularAttribute;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.conflictguard.ConfigurationException;
import org.conflictguard.DependsOn;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.spi.DependencyResolver;

/**
 * Which rows follow which, built once from {@link DependsOn} declarations and the JPA
 * metamodel, and checked then. Expands a claim set with one query per edge per level per
 * chunk of {@value #CHUNK} ids, never one per row. Thread-safe. Not API.
 */
public final class DependencyGraph {

    static final int CHUNK = 500;

    /** Rows of {@code child} whose {@code path} leads to a row of {@code parent}. */
    record Edge(String child, Class<?> childClass, String jpql, String parent, Function<String, Object> parentId,
            List<Member> path, boolean pathEndsInAssociation) {
    }

    private final EntityManagerFactory emf;
    private final Map<String, List<Edge>> edgesByParent = new HashMap<>();
    private final Map<Class<?>, List<Edge>> edgesByChildClass = new HashMap<>();
    private final Map<Class<?>, String> participants = new HashMap<>();
    private final Map<DependencyResolver, Set<String>> resolvers = new LinkedHashMap<>();

    private DependencyGraph(EntityManagerFactory emf) {
        this.emf = emf;
    }

    /**
     * Reads every entity's {@link DependsOn} declarations.
     *
     * @throws ConfigurationException naming the entity and attribute of a bad declaration, or a
     *     resolver's unknown entity
     */
    public static DependencyGraph build(EntityManagerFactory emf, List<DependencyResolver> resolvers) {
        DependencyGraph graph = new DependencyGraph(emf);
        Metamodel metamodel = emf.getMetamodel();
        Map<String, EntityType<?>> byName = new HashMap<>();
        for (EntityType<?> type : metamodel.getEntities()) {
            byName.put(type.getName(), type);
        }
        for (EntityType<?> type : metamodel.getEntities()) {
            for (DependsOn declaration : type.getJavaType().getDeclaredAnnotationsByType(DependsOn.class)) {
                graph.addEdge(metamodel, type, declaration);
            }
        }
        for (DependencyResolver resolver : resolvers) {
            Set<String> entities = Set.copyOf(resolver.entities());
            for (String entity : entities) {
                EntityType<?> type = byName.get(entity);
                if (type == null) {
                    throw new ConfigurationException(null, "Dependency resolver " + resolver.getClass().getName()
                            + " names entity '" + entity + "', which the persistence unit does not map; known entities: "
                            + new TreeSet<>(byName.keySet()));
                }
                graph.participate(type);
            }
            graph.resolvers.put(resolver, entities);
        }
        // Subclasses of participating entities participate too.
        for (EntityType<?> type : metamodel.getEntities()) {
            for (Class<?> c = type.getJavaType().getSuperclass(); c != null; c = c.getSuperclass()) {
                if (graph.participants.containsKey(c)) {
                    // Rows of a subclass are named like the rows of the entity the graph knows.
                    graph.participants.putIfAbsent(type.getJavaType(), graph.participants.get(c));
                    if (graph.edgesByChildClass.containsKey(c)) {
                        graph.edgesByChildClass.putIfAbsent(type.getJavaType(), graph.edgesByChildClass.get(c));
                    }
                    break;
                }
            }
        }
        return graph;
    }

    private void addEdge(Metamodel metamodel, EntityType<?> child, DependsOn declaration) {
        String where = "Entity '" + child.getName() + "': @DependsOn(\"" + declaration.value() + "\")";
        String[] segments = declaration.value().split("\\.", -1);
        ManagedType<?> current = child;
        List<Member> members = new ArrayList<>();
        EntityType<?> parent = null;
        boolean association = false;
        for (int i = 0; i < segments.length; i++) {
            Attribute<?, ?> attribute;
            try {
                attribute = current.getAttribute(segments[i]);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(null, where + " names no attribute '" + segments[i] + "' on "
                        + describe(current) + "; use the name of a to-one association (or of the column's attribute"
                        + " with entity=)");
            }
            members.add(attribute.getJavaMember());
            boolean last = i == segments.length - 1;
            Attribute.PersistentAttributeType kind = attribute.getPersistentAttributeType();
            boolean toOne = kind == Attribute.PersistentAttributeType.MANY_TO_ONE
                    || kind == Attribute.PersistentAttributeType.ONE_TO_ONE;
            if (attribute.isCollection()) {
                throw new ConfigurationException(null, where + ": '" + segments[i] + "' is a collection; declare"
                        + " @DependsOn on the entity at the other end, naming its to-one association back");
            }
            if (toOne) {
                EntityType<?> target = metamodel.entity(attribute.getJavaType());
                if (last) {
                    parent = target;
                    association = true;
                    if (declaration.entity() != void.class && declaration.entity() != target.getJavaType()) {
                        throw new ConfigurationException(null, where + ": '" + segments[i] + "' leads to "
                                + target.getName() + ", not " + declaration.entity().getSimpleName()
                                + "; drop entity= for associations");
                    }
                }
                current = target;
            } else if (last && kind == Attribute.PersistentAttributeType.BASIC) {
                if (declaration.entity() == void.class) {
                    throw new ConfigurationException(null, where + ": '" + segments[i] + "' is not an association;"
                            + " name the entity its value refers to with entity=, e.g. @DependsOn(value = \""
                            + declaration.value() + "\", entity = Parent.class)");
                }
                try {
                    parent = metamodel.entity(declaration.entity());
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(null, where + ": entity=" + declaration.entity().getName()
                            + " is not an entity of this persistence unit");
                }
            } else {
                throw new ConfigurationException(null, where + ": '" + segments[i] + "' is not a to-one association"
                        + (last ? " or a basic attribute" : "") + "; only ManyToOne and OneToOne can be followed");
            }
        }
        String childId = idAttribute(child).getName();
        String path = declaration.value() + (association ? "." + idAttribute(parent).getName() : "");
        Edge edge = new Edge(child.getName(), child.getJavaType(),
                "SELECT c." + childId + " FROM " + child.getName() + " c WHERE c." + path + " IN :ids",
                parent.getName(), idDecoder(parent), List.copyOf(members), association);
        edgesByParent.computeIfAbsent(parent.getName(), k -> new ArrayList<>()).add(edge);
        edgesByChildClass.computeIfAbsent(child.getJavaType(), k -> new ArrayList<>()).add(edge);
        participate(child);
        participate(parent);
    }

    private void participate(EntityType<?> type) {
        idAttribute(type);
        participants.put(type.getJavaType(), type.getName());
    }

    private static SingularAttribute<?, ?> idAttribute(EntityType<?> type) {
        if (!type.hasSingleIdAttribute()) {
            throw new ConfigurationException(null, "Entity '" + type.getName() + "' has a composite id; the dependency"
                    + " graph follows entities with a single id attribute only. Claim its rows with Row.of(\""
                    + type.getName() + "\", canonicalString) instead");
        }
        idDecoder(type);
        // Not getId(getIdType().getJavaType()): for a primitive id EclipseLink 4 reports the boxed
        // type there but refuses it in getId.
        return type.getSingularAttributes().stream().filter(SingularAttribute::isId).findFirst()
                .orElseThrow(() -> new ConfigurationException(null, "Entity '" + type.getName()
                        + "' reports a single id attribute, but none of its attributes is marked as the id"));
    }

    private static Function<String, Object> idDecoder(EntityType<?> type) {
        Class<?> id = type.getIdType().getJavaType();
        Function<String, Object> parse;
        if (id == Long.class || id == long.class) {
            parse = Long::valueOf;
        } else if (id == Integer.class || id == int.class) {
            parse = Integer::valueOf;
        } else if (id == Short.class || id == short.class) {
            parse = Short::valueOf;
        } else if (id == String.class) {
            parse = s -> s;
        } else if (id == UUID.class) {
            parse = UUID::fromString;
        } else if (id == BigInteger.class) {
            parse = BigInteger::new;
        } else {
            throw new ConfigurationException(null, "Entity '" + type.getName() + "' has an id of type " + id.getName()
                    + ", which the dependency graph cannot follow; use Long, Integer, Short, String, UUID or BigInteger");
        }
        String entity = type.getName();
        return text -> {
            try {
                return parse.apply(text);
            } catch (RuntimeException e) {
                throw new InvalidClaimException(entity, text, "Entity '" + entity + "' id '" + text
                        + "' is not a valid " + id.getSimpleName() + " id of that entity");
            }
        };
    }

    /** The entity name of a participating class (or a subclass of one), else null. */
    public String entityName(Class<?> type) {
        return participants.get(type);
    }

    /** The classes that take part in the graph. */
    public Set<Class<?>> participants() {
        return Set.copyOf(participants.keySet());
    }

    /** The row of a participating entity instance. */
    Row rowOf(Object entity) {
        return Row.of(participants.get(entity.getClass()), util().getIdentifier(entity));
    }

    /** The rows a new instance of a participating entity would depend on. */
    List<Row> parentsOf(Object entity) {
        List<Edge> edges = edgesByChildClass.get(entity.getClass());
        if (edges == null) {
            return List.of();
        }
        List<Row> parents = new ArrayList<>();
        for (Edge edge : edges) {
            Object value = entity;
            for (Member member : edge.path()) {
                value = value == null ? null : read(member, value);
            }
            if (value != null) {
                parents.add(Row.of(edge.parent(), edge.pathEndsInAssociation() ? util().getIdentifier(value) : value));
            }
        }
        return parents;
    }

    /**
     * The rows, plus every row that depends on them, transitively.
     *
     * @param onQuery told once per query issued
     * @throws InvalidClaimException if a row's id is not valid for its entity
     */
    public TreeSet<Row> expand(Collection<Row> roots, IntConsumer onQuery) {
        TreeSet<Row> all = new TreeSet<>(roots);
        List<Row> frontier = new ArrayList<>(all);
        EntityManager em = null;
        try {
            while (!frontier.isEmpty()) {
                Map<String, List<Row>> byEntity = new LinkedHashMap<>();
                for (Row row : frontier) {
                    byEntity.computeIfAbsent(row.entity(), k -> new ArrayList<>()).add(row);
                }
                List<Row> next = new ArrayList<>();
                for (Map.Entry<String, List<Row>> group : byEntity.entrySet()) {
                    for (Edge edge : edgesByParent.getOrDefault(group.getKey(), List.of())) {
                        List<Object> ids = group.getValue().stream().map(r -> edge.parentId().apply(r.id())).toList();
                        for (int from = 0; from < ids.size(); from += CHUNK) {
                            if (em == null) {
                                em = emf.createEntityManager();
                            }
                            List<?> children = em.createQuery(edge.jpql())
                                    .setParameter("ids", ids.subList(from, Math.min(from + CHUNK, ids.size())))
                                    .getResultList();
                            onQuery.accept(1);
                            for (Object id : children) {
                                Row row = Row.of(edge.child(), id);
                                if (all.add(row)) {
                                    next.add(row);
                                }
                            }
                        }
                    }
                }
                for (Map.Entry<DependencyResolver, Set<String>> resolver : resolvers.entrySet()) {
                    List<Row> theirs = frontier.stream().filter(r -> resolver.getValue().contains(r.entity())).toList();
                    if (!theirs.isEmpty()) {
                        for (Row row : resolver.getKey().dependentsOf(theirs)) {
                            if (row == null) {
                                throw new IllegalStateException("Dependency resolver " + resolver.getKey().getClass()
                                        .getName() + " returned a null row");
                            }
                            if (all.add(row)) {
                                next.add(row);
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
        return all;
    }

    private PersistenceUnitUtil util() {
        return emf.getPersistenceUnitUtil();
    }

    private static Object read(Member member, Object target) {
        try {
            if (member instanceof Field field) {
                field.trySetAccessible();
                return field.get(target);
            }
            Method getter = (Method) member;
            getter.trySetAccessible();
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + member + " of " + target.getClass().getName(), e);
        }
    }

    private static String describe(ManagedType<?> type) {
        return type instanceof EntityType<?> entity ? entity.getName() : type.getJavaType().getSimpleName();
    }
}
