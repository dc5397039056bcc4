package org.conflictguard.internal.graph;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.conflictguard.ConfigurationException;
import org.conflictguard.DependsOn;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;
import org.conflictguard.spi.DependencyResolver;
import org.conflictguard.store.jpa.ObjectLock;

/**
 * What the application's persistence unit says about its entities, read once from the JPA
 * metamodel and checked then: each entity's name and id type, and the {@link DependsOn} edges
 * between them. Names the row of an entity instance, finds the rows a new instance depends on,
 * and converts ids to their canonical form. Not API. Thread-safe.
 */
public final class EntityModel {

    /**
     * Rows of {@code child} whose {@code path} leads to a row of {@code parent}: {@code jpql} finds
     * the children of parent ids, {@code parentJpql} the (child id, parent id) pairs of child ids.
     */
    record Edge(String child, String jpql, String parentJpql, String parent, IdType parentId, IdType childId,
            List<Member> path, List<String> attributes, boolean pathEndsInAssociation) {
    }

    /** One entity: its name and, when the graph can follow it, its id type. */
    private record Entity(String name, Class<?> type, IdType idType, String idAttribute) {
    }

    private final EntityManagerFactory emf;
    private final Map<String, Entity> byName = new HashMap<>();
    private final Map<Class<?>, Entity> byClass = new HashMap<>();
    private final Map<String, List<Edge>> edgesByParent = new HashMap<>();
    private final Map<String, List<Edge>> edgesByChild = new HashMap<>();
    private final Map<Class<?>, List<Edge>> edgesByChildClass = new HashMap<>();
    private final Map<DependencyResolver, Set<String>> resolvers = new LinkedHashMap<>();

    private EntityModel(EntityManagerFactory emf) {
        this.emf = emf;
    }

    /**
     * Reads every entity and its {@link DependsOn} declarations.
     *
     * @throws ConfigurationException naming the entity and attribute of a bad declaration, or a
     *     resolver's unknown entity
     */
    public static EntityModel read(EntityManagerFactory emf, List<DependencyResolver> resolvers) {
        EntityModel model = new EntityModel(emf);
        Metamodel metamodel = emf.getMetamodel();
        for (EntityType<?> type : metamodel.getEntities()) {
            model.add(type);
        }
        Set<String> participants = new java.util.HashSet<>();
        for (EntityType<?> type : metamodel.getEntities()) {
            for (DependsOn declaration : type.getJavaType().getDeclaredAnnotationsByType(DependsOn.class)) {
                Edge edge = model.edge(metamodel, type, declaration);
                participants.add(edge.child());
                participants.add(edge.parent());
            }
        }
        for (DependencyResolver resolver : resolvers) {
            Set<String> entities = Set.copyOf(resolver.entities());
            for (String entity : entities) {
                if (!model.byName.containsKey(entity)) {
                    throw new ConfigurationException(null, "Dependency resolver " + resolver.getClass().getName()
                            + " names entity '" + entity + "', which the persistence unit does not map; known entities: "
                            + new TreeSet<>(model.byName.keySet()));
                }
                participants.add(entity);
            }
            model.resolvers.put(resolver, entities);
        }
        for (String participant : participants) {
            model.requireFollowable(model.byName.get(participant));
        }
        model.inheritNames(metamodel, participants);
        return model;
    }

    private void add(EntityType<?> type) {
        IdType idType = null;
        String idAttribute = null;
        if (type.hasSingleIdAttribute()) {
            idType = IdType.of(type.getIdType().getJavaType());
            // Not getId(getIdType().getJavaType()): for a primitive id EclipseLink 4 reports the boxed
            // type there but refuses it in getId.
            idAttribute = type.getSingularAttributes().stream().filter(SingularAttribute::isId)
                    .map(Attribute::getName).findFirst().orElse(null);
        }
        Entity entity = new Entity(type.getName(), type.getJavaType(), idAttribute == null ? null : idType, idAttribute);
        byName.put(entity.name(), entity);
        byClass.put(entity.type(), entity);
    }

    /**
     * A subclass of an entity in the graph that is not in the graph itself names its rows like that
     * entity (they share its ids), and depends on what it depends on.
     */
    private void inheritNames(Metamodel metamodel, Set<String> participants) {
        for (EntityType<?> type : metamodel.getEntities()) {
            if (participants.contains(type.getName())) {
                continue;
            }
            for (Class<?> c = type.getJavaType().getSuperclass(); c != null; c = c.getSuperclass()) {
                Entity parent = byClass.get(c);
                if (parent != null && participants.contains(parent.name())) {
                    byClass.put(type.getJavaType(), parent);
                    if (edgesByChildClass.containsKey(c)) {
                        edgesByChildClass.put(type.getJavaType(), edgesByChildClass.get(c));
                    }
                    break;
                }
            }
        }
    }

    private Edge edge(Metamodel metamodel, EntityType<?> child, DependsOn declaration) {
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
        Entity childEntity = requireFollowable(byName.get(child.getName()));
        Entity parentEntity = requireFollowable(byName.get(parent.getName()));
        String path = declaration.value() + (association ? "." + parentEntity.idAttribute() : "");
        String childId = "c." + childEntity.idAttribute();
        Edge edge = new Edge(childEntity.name(), "SELECT " + childId + " FROM " + childEntity.name() + " c WHERE c."
                + path + " IN :ids", "SELECT " + childId + ", c." + path + " FROM " + childEntity.name() + " c WHERE "
                + childId + " IN :ids", parentEntity.name(), parentEntity.idType(), childEntity.idType(),
                List.copyOf(members), List.of(segments), association);
        edgesByParent.computeIfAbsent(parentEntity.name(), k -> new ArrayList<>()).add(edge);
        edgesByChild.computeIfAbsent(childEntity.name(), k -> new ArrayList<>()).add(edge);
        edgesByChildClass.computeIfAbsent(child.getJavaType(), k -> new ArrayList<>()).add(edge);
        return edge;
    }

    private Entity requireFollowable(Entity entity) {
        EntityType<?> type = emf.getMetamodel().entity(entity.type());
        if (!type.hasSingleIdAttribute()) {
            throw new ConfigurationException(null, "Entity '" + entity.name() + "' has a composite id; the dependency"
                    + " graph follows entities with a single id attribute only. Claim its rows with Row.of(\""
                    + entity.name() + "\", canonicalString) instead");
        }
        if (entity.idType() == null) {
            throw new ConfigurationException(null, "Entity '" + entity.name() + "' has an id of type "
                    + type.getIdType().getJavaType().getName() + ", which the dependency graph cannot follow; use Long,"
                    + " Integer, Short, String, UUID or BigInteger");
        }
        return entity;
    }

    /** The entity name rows of this class (or a subclass of a known entity) carry, else null. */
    public String entityName(Class<?> type) {
        Entity entity = byClass.get(type);
        return entity == null ? null : entity.name();
    }

    /**
     * The entity classes whose writes the entity listener checks: every entity whose rows can be
     * named (a single id of a supported type), except the claim store's own {@link ObjectLock}.
     */
    public Set<Class<?>> checkedClasses() {
        Set<Class<?>> checked = new java.util.HashSet<>();
        byClass.forEach((type, entity) -> {
            if (entity.idType() != null && type != ObjectLock.class) {
                checked.add(type);
            }
        });
        return Collections.unmodifiableSet(checked);
    }

    /** The entity names whose writes are not checked because their ids cannot be named as rows. */
    public Set<String> uncheckedEntities() {
        Set<String> unchecked = new TreeSet<>();
        byName.values().stream().filter(e -> e.idType() == null).forEach(e -> unchecked.add(e.name()));
        return unchecked;
    }

    /** The row of an instance of a checked entity class. */
    public Row rowOf(Object entity) {
        return Row.of(byClass.get(entity.getClass()).name(), util().getIdentifier(entity));
    }

    /**
     * The rows an instance of a checked entity class depends on, through its {@link DependsOn}
     * paths, as its fields say now. A path that crosses an entity the provider has not loaded (a
     * lazy proxy) is finished with a query from that entity's id; a proxy at the end of a path
     * gives its id without being loaded. {@code null} when the entity's own attribute on a path
     * is not loaded (then its parents are the database's).
     */
    public List<Row> parentsOf(Object entity) {
        List<Edge> edges = edgesByChildClass.get(entity.getClass());
        if (edges == null) {
            return List.of();
        }
        PersistenceUnitUtil util = util();
        List<Row> parents = new ArrayList<>(edges.size());
        for (Edge edge : edges) {
            Object value = read(edge.path().get(0), entity);
            if (value == null && !util.isLoaded(entity, edge.attributes().get(0))) {
                return null;
            }
            Object parentId = null;
            for (int i = 1; i < edge.path().size() && value != null; i++) {
                if (!util.isLoaded(value)) {
                    parentId = finishPath(edge, i, value);
                    value = null;
                    break;
                }
                value = read(edge.path().get(i), value);
            }
            if (value != null) {
                parentId = edge.pathEndsInAssociation() ? util.getIdentifier(value) : value;
            }
            if (parentId != null) {
                Row parent = Row.of(edge.parent(), parentId);
                if (!parents.contains(parent)) {
                    parents.add(parent);
                }
            }
        }
        return parents;
    }

    /** The parent id at the end of {@code edge}'s path, from the entity reached at step {@code from}, by a query. */
    private Object finishPath(Edge edge, int from, Object reached) {
        Entity at = byClass.get(reached.getClass());
        if (at == null) {
            at = byClassOf(reached);
        }
        String rest = String.join(".", edge.attributes().subList(from, edge.attributes().size()));
        if (edge.pathEndsInAssociation()) {
            rest += "." + byName.get(edge.parent()).idAttribute();
        }
        jakarta.persistence.EntityManager em = emf.createEntityManager();
        try {
            List<?> found = em.createQuery("SELECT x." + rest + " FROM " + at.name() + " x WHERE x." + at.idAttribute()
                    + " = :id").setParameter("id", util().getIdentifier(reached)).getResultList();
            return found.isEmpty() ? null : found.get(0);
        } finally {
            em.close();
        }
    }

    /** The entity of an instance whose class is a provider's proxy subclass of an entity class. */
    private Entity byClassOf(Object instance) {
        for (Class<?> c = instance.getClass(); c != null; c = c.getSuperclass()) {
            Entity entity = byClass.get(c);
            if (entity != null) {
                return entity;
            }
        }
        throw new IllegalStateException(instance.getClass().getName() + " is no entity of this persistence unit");
    }

    /** Whether rows of this entity can have rows depending on them. */
    public boolean hasChildren(String entity) {
        return edgesByParent.containsKey(entity);
    }

    /** Whether rows of this entity depend on other rows. */
    public boolean hasParents(String entity) {
        return edgesByChild.containsKey(entity);
    }

    /** Whether rows of this entity can have more than one parent (two or more {@link DependsOn} edges). */
    public boolean isMultiParent(String entity) {
        return edgesByChild.getOrDefault(entity, List.of()).size() > 1;
    }

    /** Whether rows of this entity may be written: an entity this model names rows of. */
    boolean knows(String entity) {
        return byName.containsKey(entity);
    }

    /**
     * The row with its id in the canonical form of its entity's id type ({@code "042"} of a
     * {@code Long} id becomes {@code "42"}, a UUID is lower-cased); rows of entities this model
     * does not know, or cannot follow, are returned as they are.
     *
     * @throws InvalidClaimException naming the entity, the id and the id type if the id is not one
     */
    public Row canonical(Row row) {
        Entity entity = byName.get(row.entity());
        if (entity == null || entity.idType() == null) {
            return row;
        }
        String id = convert(entity, row.id());
        return id.equals(row.id()) ? row : new Row(row.entity(), id);
    }

    /** {@link #canonical(Row)} of each row. */
    public List<Row> canonical(Collection<Row> rows) {
        List<Row> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(canonical(row));
        }
        return result;
    }

    /**
     * The row of an entity class with an id value of any accepted type: a {@code "42"} for a
     * {@code Long} id is converted, an {@code "abc"} is refused.
     *
     * @throws InvalidClaimException naming the entity, the id and the id type if the id is not one
     * @throws IllegalArgumentException if the class is not an entity of this unit
     */
    public Row row(Class<?> entityClass, Object id) {
        Entity entity = byClass.get(entityClass);
        if (entity == null) {
            throw new IllegalArgumentException(entityClass.getName() + " is not an entity of this persistence unit");
        }
        if (entity.idType() == null) {
            return Row.of(entity.name(), id);
        }
        if (id == null) {
            throw new InvalidClaimException(entity.name(), null, "Entity '" + entity.name() + "': id is null; pass the"
                    + " row's primary key value");
        }
        return new Row(entity.name(), convert(entity, id));
    }

    /** The id value a query binds for a row of {@code edge}'s parent. */
    Object parentId(Edge edge, Row row) {
        return edge.parentId().parse(row.id());
    }

    List<Edge> edgesFrom(String parent) {
        return edgesByParent.getOrDefault(parent, List.of());
    }

    List<Edge> edgesTo(String child) {
        return edgesByChild.getOrDefault(child, List.of());
    }

    /** The id value a query binds for a row of {@code edge}'s child. */
    Object childId(Edge edge, Row row) {
        return edge.childId().parse(row.id());
    }

    /** The entity names resolvers expand. */
    Set<String> resolverEntities() {
        Set<String> names = new java.util.HashSet<>();
        resolvers.values().forEach(names::addAll);
        return names;
    }

    /** Every entity name of the unit. */
    Set<String> entityNames() {
        return byName.keySet();
    }

    Map<DependencyResolver, Set<String>> resolvers() {
        return resolvers;
    }

    EntityManagerFactory emf() {
        return emf;
    }

    private static String convert(Entity entity, Object id) {
        try {
            return entity.idType().canonical(id);
        } catch (RuntimeException e) {
            String text = String.valueOf(id);
            throw new InvalidClaimException(entity.name(), text, "Entity '" + entity.name() + "' id '"
                    + abbreviate(text) + "' (" + id.getClass().getSimpleName() + ") is not a valid "
                    + entity.idType().display() + " id of that entity; pass the value of its @Id attribute '"
                    + entity.idAttribute() + "'");
        }
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

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
