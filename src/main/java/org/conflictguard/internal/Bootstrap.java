package org.conflictguard.internal;

import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.ConflictGuardBuilder;
import org.conflictguard.internal.config.Settings;
import org.conflictguard.internal.metrics.MetersFactory;
import org.conflictguard.internal.graph.DependencyGraph;
import org.conflictguard.internal.graph.EntityModel;
import org.conflictguard.spi.ClaimListener;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.DependencyResolver;

/**
 * Starts a guard from what the application gives ({@link ConflictGuardBuilder} or the CDI
 * producer): reads the settings once, refuses contradictory inputs, reads the dependency graph,
 * lets {@link StoreChoice} choose the store and logs that choice once. Not API.
 */
public final class Bootstrap {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    /** Settings that choose or configure the store: meaningless next to a store given ready-made. */
    private static final List<String> STORE_KEYS = List.of(ConfigKeys.STORE, ConfigKeys.REDIS_ADDRESS,
            ConfigKeys.REDIS_CONFIG, ConfigKeys.NAMESPACE, ConfigKeys.PERSISTENCE_UNIT, ConfigKeys.DATABASE_DIALECT,
            ConfigKeys.REDIS_SYNC_REPLICAS, ConfigKeys.REDIS_SYNC_TIMEOUT);

    /**
     * What the application gives.
     *
     * @param settings values set explicitly (the builder's), which win over every other source
     * @param store a ready store, or null
     * @param storeSource where the ready store comes from, for messages ("store(...)", "a ClaimStore bean")
     * @param storeUnit the database store's persistence unit, or null
     * @param dependencies the application's persistence unit, whose {@code @DependsOn} to follow, or null
     * @param resolvers dependency resolvers (need {@code dependencies})
     * @param listeners told of every claim event
     * @param redissonBean the application's {@code RedissonClient}, or a supplier of null
     * @param meterRegistry the Micrometer {@code MeterRegistry} given or found, or null for the global one
     */
    public record Inputs(Map<String, String> settings, ClaimStore store, String storeSource,
            EntityManagerFactory storeUnit, EntityManagerFactory dependencies, List<DependencyResolver> resolvers,
            List<ClaimListener> listeners, Supplier<Object> redissonBean, Object meterRegistry) {

        /** @throws NullPointerException if a list, the settings or the supplier is null */
        public Inputs {
            settings = Map.copyOf(settings);
            resolvers = List.copyOf(resolvers);
            listeners = List.copyOf(listeners);
            Objects.requireNonNull(redissonBean, "redissonBean");
        }
    }

    private Bootstrap() {
    }

    /**
     * Starts a guard.
     *
     * @throws ConfigurationException if a setting is bad, inputs contradict each other, a
     *     dependency declaration is bad, or the chosen store cannot be used; nothing is left open
     */
    public static ConflictGuard start(Inputs inputs) {
        Settings settings = Settings.read(inputs.settings());
        refuseContradictions(inputs, settings);
        DependencyGraph graph = inputs.dependencies() == null ? null
                : new DependencyGraph(EntityModel.read(inputs.dependencies(), inputs.resolvers()));
        if (graph != null && !graph.model().uncheckedEntities().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "ConflictGuard does not check writes to " + graph.model()
                    .uncheckedEntities() + ": their ids (composite, or of a type rows cannot name) do not name rows");
        }
        if (!settings.enabled()) {
            LOG.log(System.Logger.Level.WARNING, "ConflictGuard is disabled (" + ConfigKeys.ENABLED + "=false): every"
                    + " claim succeeds without touching a store, so operations are NOT protected from each other");
            return new DisabledGuard(settings.lease(), graph);
        }
        StoreChoice.Chosen chosen = StoreChoice.choose(settings, inputs.store(), inputs.storeSource(),
                inputs.storeUnit(), inputs.redissonBean());
        try {
            String description = chosen.store().description() + ", lease " + settings.lease();
            LOG.log(System.Logger.Level.INFO, "ConflictGuard uses the " + description + " (" + chosen.why() + ")"
                    + unused(inputs, settings));
            Object registry = settings.metricsEnabled()
                    ? (inputs.meterRegistry() != null ? inputs.meterRegistry() : MetersFactory.globalRegistry()) : null;
            return new Guard(chosen.store(), description, settings, chosen.owned(), graph, inputs.listeners(),
                    registry);
        } catch (RuntimeException | Error e) {
            closeAll(chosen.owned());
            throw e;
        }
    }

    /** Inputs the application gave that a given store would silently make meaningless. */
    private static void refuseContradictions(Inputs inputs, Settings settings) {
        if (inputs.meterRegistry() != null && !settings.metricsEnabled()
                && Settings.BUILDER.equals(settings.sources().get(ConfigKeys.METRICS_ENABLED))) {
            throw new ConfigurationException(ConfigKeys.METRICS_ENABLED, "A meter registry was given but "
                    + ConfigKeys.METRICS_ENABLED + " is false: drop one of the two");
        }
        if (!inputs.resolvers().isEmpty() && inputs.dependencies() == null) {
            throw new ConfigurationException(null, "Dependency resolvers need the application's persistence unit:"
                    + " call dependencies(entityManagerFactory) as well");
        }
        if (inputs.store() != null) {
            if (inputs.storeUnit() != null) {
                throw new ConfigurationException(null, "Both " + inputs.storeSource() + " and"
                        + " entityManagerFactory(...) were given; the store would make the unit unused. Give the"
                        + " store, or the unit for the database store, not both");
            }
            for (String key : STORE_KEYS) {
                if (settings.fromBuilder(key)) {
                    throw new ConfigurationException(key, "Both " + inputs.storeSource() + " and setting(" + key
                            + ", ...) were given; a ready store ignores " + key + ". Configure the store you build,"
                            + " or drop it and let the settings choose");
                }
            }
        }
        if (inputs.storeUnit() != null) {
            for (String key : List.of(ConfigKeys.REDIS_ADDRESS, ConfigKeys.REDIS_CONFIG, ConfigKeys.PERSISTENCE_UNIT)) {
                if (settings.fromBuilder(key)) {
                    throw new ConfigurationException(key, "Both entityManagerFactory(...) and setting(" + key
                            + ", ...) were given; one of them would be ignored. Give the unit for the database store,"
                            + " or the setting, not both");
                }
            }
            if (settings.fromBuilder(ConfigKeys.STORE) && settings.store() == org.conflictguard.StoreType.REDIS) {
                throw new ConfigurationException(ConfigKeys.STORE, "Both entityManagerFactory(...) and setting("
                        + ConfigKeys.STORE + ", \"redis\") were given; the unit would be ignored. Drop one of them");
            }
        }
    }

    /** The settings from outside the builder that a given store leaves unused, for the startup line. */
    private static String unused(Inputs inputs, Settings settings) {
        if (inputs.store() == null) {
            return "";
        }
        List<String> unused = new ArrayList<>();
        for (String key : STORE_KEYS) {
            if (settings.isSet(key)) {
                unused.add(key + " (" + settings.sources().get(key) + ")");
            }
        }
        return unused.isEmpty() ? "" : "; not used with that store: " + String.join(", ", unused);
    }

    static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Could not close " + resource, e);
            }
        }
    }
}
