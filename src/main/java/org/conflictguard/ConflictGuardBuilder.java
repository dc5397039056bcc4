package org.conflictguard;

import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.conflictguard.internal.Bootstrap;
import org.conflictguard.internal.config.Settings;
import org.conflictguard.spi.ClaimListener;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.DependencyResolver;

/**
 * Builds a {@link ConflictGuard}. Anything not set here is read from configuration (see
 * {@link ConfigKeys}); the store is then chosen by {@link ConfigKeys#STORE}:
 * <ul>
 *   <li>{@code auto}: Redis when {@link ConfigKeys#REDIS_ADDRESS} or
 *       {@link ConfigKeys#REDIS_CONFIG} is set, else the database; the choice and why are
 *       logged once.</li>
 *   <li>{@code redis} / {@code database}: that store, or a {@link ConfigurationException}
 *       naming what is missing.</li>
 * </ul>
 * Contradictory inputs fail {@link #build()} instead of one being ignored: a {@link #store} next
 * to an {@link #entityManagerFactory} or a store setting, or a unit next to a Redis address.
 *
 * <p>Not thread-safe; {@link #build()} copies what it needs.
 */
public final class ConflictGuardBuilder {

    private final Map<String, String> settings = new LinkedHashMap<>();
    private EntityManagerFactory entityManagerFactory;
    private ClaimStore store;
    private EntityManagerFactory dependencies;
    private final List<DependencyResolver> resolvers = new ArrayList<>();
    private final List<ClaimListener> listeners = new ArrayList<>();
    /** A Micrometer {@code MeterRegistry}, kept untyped so the class loads without Micrometer. */
    private Object meterRegistry;

    ConflictGuardBuilder() {
    }

    /**
     * Sets a configuration value, overriding every other source.
     *
     * @param key one of {@link ConfigKeys}
     * @throws ConfigurationException if the key is unknown or the value is not accepted
     */
    public ConflictGuardBuilder setting(String key, String value) {
        Settings.check(key, value);
        settings.put(key, value);
        return this;
    }

    /**
     * The persistence unit for the database store; it must be RESOURCE_LOCAL and map
     * {@code org.conflictguard.store.jpa.ObjectLock}, with the DDL of
     * {@code META-INF-templates/ddl/} applied. The guard does not close it.
     *
     * @throws NullPointerException if {@code entityManagerFactory} is null
     */
    public ConflictGuardBuilder entityManagerFactory(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        return this;
    }

    /**
     * Uses this store and skips the store choice, e.g.
     * {@code RedisClaimStore.create(redissonClient, "my-app")}. The guard does not close it.
     *
     * @throws NullPointerException if {@code store} is null
     */
    public ConflictGuardBuilder store(ClaimStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * The application's persistence unit (not the claim store's): its entities' {@link DependsOn}
     * declarations make the dependency graph, so claims include dependents; the
     * {@link ConflictGuardEntityListener} checks writes to every entity of this unit; and ids of
     * its entities are converted to the canonical form of their id type. The graph is checked when
     * the guard is built. The guard does not close the unit.
     *
     * @throws NullPointerException if {@code applicationUnit} is null
     */
    public ConflictGuardBuilder dependencies(EntityManagerFactory applicationUnit) {
        this.dependencies = Objects.requireNonNull(applicationUnit, "applicationUnit");
        return this;
    }

    /**
     * Adds a resolver for dependents the annotations cannot express; needs {@link #dependencies}.
     *
     * @throws NullPointerException if {@code resolver} is null
     */
    public ConflictGuardBuilder resolver(DependencyResolver resolver) {
        resolvers.add(Objects.requireNonNull(resolver, "resolver"));
        return this;
    }

    /**
     * Adds a listener told of every claim, release, conflict and loss.
     *
     * @throws NullPointerException if {@code listener} is null
     */
    public ConflictGuardBuilder listener(ClaimListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Reports the guard's meters (claims granted, refused and waited, hold times, losses, write
     * checks, store round trips, the write checks' view) to this Micrometer registry instead of
     * Micrometer's global one. Needs Micrometer on the class path, like this method's signature.
     *
     * @throws NullPointerException if {@code registry} is null
     */
    public ConflictGuardBuilder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * Builds the guard: reads configuration, reads and checks the dependency graph, chooses and
     * checks the store.
     *
     * @throws ConfigurationException if a setting is bad, two inputs contradict each other (a
     *     meter registry with {@link ConfigKeys#METRICS_ENABLED} false, say), a
     *     dependency declaration is bad, or the chosen store cannot be used
     */
    public ConflictGuard build() {
        return Bootstrap.start(new Bootstrap.Inputs(settings, store, "store(...)", entityManagerFactory, dependencies,
                resolvers, listeners, () -> null, meterRegistry));
    }
}
