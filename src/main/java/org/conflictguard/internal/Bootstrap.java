package org.conflictguard.internal;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.ArrayList;
import java.util.List;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.spi.ClaimListener;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;

/** Chooses and starts the store, then the guard. Not API. */
public final class Bootstrap {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");
    private static final String REDISSON = "org.redisson.api.RedissonClient";

    private Bootstrap() {
    }

    /**
     * Starts a guard on {@code store} if given, else on the store the settings choose.
     *
     * @param graph the dependency graph, or null for none
     * @param listeners told of claims, releases, conflicts and losses
     *
     * @throws ConfigurationException if the choice cannot be met, naming the setting
     */
    public static ConflictGuard start(Settings settings, EntityManagerFactory emf, ClaimStore store,
            DependencyGraph graph, List<ClaimListener> listeners) {
        if (!settings.enabled()) {
            LOG.log(System.Logger.Level.WARNING, "ConflictGuard is disabled (" + ConfigKeys.ENABLED + "=false): every"
                    + " claim succeeds without touching a store, so operations are NOT protected from each other");
            return new DefaultConflictGuard(null, settings, List.of(), "disabled", graph, listeners);
        }
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            String why;
            if (store != null) {
                why = "store given to the builder";
            } else {
                boolean redisConfigured = settings.redisAddress().isPresent() || settings.redisConfig().isPresent();
                switch (settings.store()) {
                    case REDIS -> {
                        if (!redisConfigured) {
                            throw new ConfigurationException(ConfigKeys.STORE, ConfigKeys.STORE + "=redis but no Redis"
                                    + " is configured; set " + ConfigKeys.REDIS_ADDRESS + " (e.g. redis://127.0.0.1:6379)"
                                    + " or " + ConfigKeys.REDIS_CONFIG + ", or give the builder a RedisClaimStore");
                        }
                        why = ConfigKeys.STORE + "=redis";
                        store = redis(settings, owned);
                    }
                    case DATABASE -> {
                        why = ConfigKeys.STORE + "=database";
                        store = database(settings, emf, owned);
                    }
                    default -> {
                        if (redisConfigured) {
                            why = ConfigKeys.STORE + "=auto and " + (settings.redisConfig().isPresent()
                                    ? ConfigKeys.REDIS_CONFIG : ConfigKeys.REDIS_ADDRESS) + " is set";
                            store = redis(settings, owned);
                        } else {
                            why = ConfigKeys.STORE + "=auto and no Redis is configured (" + ConfigKeys.REDIS_ADDRESS
                                    + " and " + ConfigKeys.REDIS_CONFIG + " are unset)";
                            store = database(settings, emf, owned);
                        }
                    }
                }
            }
            String description = store.description() + ", lease " + settings.lease();
            LOG.log(System.Logger.Level.INFO, "ConflictGuard uses the " + description + " (" + why + ")");
            return new DefaultConflictGuard(store, settings, owned, description, graph, listeners);
        } catch (RuntimeException | Error e) {
            DefaultConflictGuard.closeAll(owned);
            throw e;
        }
    }

    private static ClaimStore redis(Settings settings, List<AutoCloseable> owned) {
        try {
            Class.forName(REDISSON, false, Bootstrap.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException(ConfigKeys.STORE, "The Redis store was chosen but Redisson is not on the"
                    + " class path; add org.redisson:redisson (4.x) to the application, or unset "
                    + ConfigKeys.REDIS_ADDRESS + " / " + ConfigKeys.REDIS_CONFIG + " to use the database", e);
        }
        return RedisBootstrap.connect(settings, owned);
    }

    private static ClaimStore database(Settings settings, EntityManagerFactory emf, List<AutoCloseable> owned) {
        if (emf == null) {
            try {
                emf = Persistence.createEntityManagerFactory(settings.persistenceUnit());
            } catch (RuntimeException e) {
                throw new ConfigurationException(ConfigKeys.PERSISTENCE_UNIT, "The database store needs a persistence"
                        + " unit, but '" + settings.persistenceUnit() + "' (" + ConfigKeys.PERSISTENCE_UNIT
                        + ") could not be created: " + e.getMessage() + ". Declare it (see"
                        + " META-INF-templates/persistence-unit.xml), give the builder an EntityManagerFactory, or set "
                        + ConfigKeys.REDIS_ADDRESS + " to use Redis", e);
            }
            owned.add(emf::close);
        }
        return JpaClaimStore.create(emf, settings.namespace(), settings.dialect());
    }
}
