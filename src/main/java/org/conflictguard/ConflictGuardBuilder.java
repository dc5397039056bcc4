package org.conflictguard;

import jakarta.persistence.EntityManagerFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.conflictguard.internal.Bootstrap;
import org.conflictguard.internal.Settings;
import org.conflictguard.spi.ClaimStore;

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
 * Not thread-safe; {@link #build()} copies what it needs.
 */
public final class ConflictGuardBuilder {

    private final Map<String, String> settings = new LinkedHashMap<>();
    private EntityManagerFactory entityManagerFactory;
    private ClaimStore store;

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
     * {@code org.conflictguard.store.jpa.ObjectLock}. The guard does not close it.
     */
    public ConflictGuardBuilder entityManagerFactory(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        return this;
    }

    /**
     * Uses this store and skips the store choice, e.g.
     * {@code RedisClaimStore.create(redissonClient, "my-app")}. The guard does not close it.
     */
    public ConflictGuardBuilder store(ClaimStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * Builds the guard: reads configuration, chooses and checks the store.
     *
     * @throws ConfigurationException if a setting is bad or the chosen store cannot be used
     */
    public ConflictGuard build() {
        return Bootstrap.start(Settings.read(settings), entityManagerFactory, store);
    }
}
