package org.conflictguard.cdi;

import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.store.jpa.ObjectLock;

/**
 * Finds the application's persistence unit among the {@code EntityManagerFactory} beans. Usually
 * there is one (the application produces it). Jakarta EE 11 servers (Persistence 3.2; Payara 7) make
 * every unit of the deployment a {@code @Default} bean, the library's own RESOURCE_LOCAL unit
 * included, so several beans may answer: those whose entities all belong to the library are set
 * aside and beans of the same unit (the same entities) count once. Not API.
 */
final class ApplicationUnit {

    /** The one entity of the library's unit (persistence-unit.xml). */
    private static final String LIBRARY_ENTITY = ObjectLock.class.getName();


    private ApplicationUnit() {
    }

    /**
     * @return the application's unit, or null when there is no EntityManagerFactory bean or only
     *     the library's own
     * @throws ConfigurationException when the beans are of more than one application unit: the
     *     graph would depend on which one is taken
     */
    static EntityManagerFactory of(Instance<EntityManagerFactory> units) {
        if (units.isUnsatisfied()) {
            return null;
        }
        if (units.isResolvable()) {
            EntityManagerFactory unit = units.get();
            return isLibrarys(entities(unit)) ? null : unit;
        }
        Map<Set<String>, EntityManagerFactory> byEntities = new LinkedHashMap<>();
        for (Instance.Handle<EntityManagerFactory> handle : units.handles()) {
            EntityManagerFactory unit = handle.get();
            Set<String> entities = entities(unit);
            if (isLibrarys(entities)) {
                continue;
            }
            byEntities.putIfAbsent(entities, unit);
        }
        if (byEntities.size() > 1) {
            List<String> described = new ArrayList<>();
            byEntities.keySet().forEach(entities -> described.add(String.join(", ", entities)));
            throw new ConfigurationException(ConfigKeys.PERSISTENCE_UNIT, "ConflictGuard reads the @DependsOn"
                    + " graph from the application's EntityManagerFactory bean, but the beans are of "
                    + byEntities.size() + " persistence units (entities " + String.join("; ", described)
                    + "); make one unit's EntityManagerFactory the @Default bean (give the others a <qualifier> in"
                    + " persistence.xml, or produce the one to use with @Produces and qualify the rest)");
        }
        return byEntities.isEmpty() ? null : byEntities.values().iterator().next();
    }

    private static boolean isLibrarys(Set<String> entities) {
        return entities.stream().allMatch(LIBRARY_ENTITY::equals);
    }

    private static Set<String> entities(EntityManagerFactory unit) {
        return unit.getMetamodel().getEntities().stream().map(EntityType::getJavaType)
                .map(type -> type == null ? "?" : type.getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
