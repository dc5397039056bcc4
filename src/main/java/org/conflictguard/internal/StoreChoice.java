package org.conflictguard.internal;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.StoreType;
import org.conflictguard.internal.config.Settings;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;

/**
 * The one place that decides where claims live. Sources, first match wins: a store given (to the
 * builder, or as a CDI bean); with {@code redis} or {@code auto}, {@link ConfigKeys#REDIS_CONFIG},
 * then {@link ConfigKeys#REDIS_ADDRESS}, then the application's {@code RedissonClient} bean; with
 * {@code database} or {@code auto}, the persistence unit given, else the one
 * {@link ConfigKeys#PERSISTENCE_UNIT} names. An explicit choice that cannot be met fails, naming
 * the setting; nothing falls back at run time.
 */
final class StoreChoice {

    private static final String REDISSON = "org.redisson.api.RedissonClient";

    /**
     * What was chosen.
     *
     * @param store the store
     * @param why the reason, for the startup log
     * @param owned what was created for it and is closed with the guard, store first
     */
    record Chosen(ClaimStore store, String why, List<AutoCloseable> owned) {
    }

    private StoreChoice() {
    }

    /**
     * @param given a store given by the application, or null
     * @param givenBy where it came from, e.g. "store given to the builder"
     * @param unit the database store's persistence unit given by the application, or null
     * @param redissonBean the application's RedissonClient, or a supplier of null
     * @throws ConfigurationException naming the setting when the choice cannot be met
     */
    static Chosen choose(Settings settings, ClaimStore given, String givenBy, EntityManagerFactory unit,
            Supplier<Object> redissonBean) {
        if (given != null) {
            return new Chosen(given, givenBy, List.of());
        }
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            String redisKey = settings.redisConfig().isPresent() ? ConfigKeys.REDIS_CONFIG
                    : settings.redisAddress().isPresent() ? ConfigKeys.REDIS_ADDRESS : null;
            StoreType type = settings.store();
            if (type != StoreType.DATABASE) {
                if (redisKey != null) {
                    requireRedisson();
                    ClaimStore store = RedisConnector.connect(settings, owned);
                    return new Chosen(store, ConfigKeys.STORE + "=" + name(type) + " and " + redisKey + " is set", owned);
                }
                Object bean = type == StoreType.REDIS || unit == null ? redissonBean.get() : null;
                if (bean != null) {
                    ClaimStore store = RedisConnector.over(bean, settings, owned);
                    return new Chosen(store, ConfigKeys.STORE + "=" + name(type) + " and the application provides a"
                            + " RedissonClient bean", owned);
                }
                if (type == StoreType.REDIS) {
                    throw new ConfigurationException(ConfigKeys.STORE, ConfigKeys.STORE + "=redis but no Redis is"
                            + " configured; set " + ConfigKeys.REDIS_ADDRESS + " (e.g. redis://127.0.0.1:6379) or "
                            + ConfigKeys.REDIS_CONFIG + ", provide a RedissonClient bean, or give the builder a"
                            + " RedisClaimStore");
                }
            }
            if (settings.redisSyncReplicas() > 0) {
                throw new ConfigurationException(ConfigKeys.REDIS_SYNC_REPLICAS, ConfigKeys.REDIS_SYNC_REPLICAS + "="
                        + settings.redisSyncReplicas() + " asks Redis replicas to confirm claims, but the database"
                        + " store was chosen (" + ConfigKeys.STORE + "=" + name(type) + "); configure Redis or unset it");
            }
            ClaimStore store = database(settings, unit, owned);
            String why = type == StoreType.DATABASE ? ConfigKeys.STORE + "=database"
                    : ConfigKeys.STORE + "=auto and no Redis is configured (" + ConfigKeys.REDIS_ADDRESS + " and "
                            + ConfigKeys.REDIS_CONFIG + " are unset" + (unit == null ? ", no RedissonClient bean" : "")
                            + ")";
            return new Chosen(store, why, owned);
        } catch (RuntimeException | Error e) {
            Bootstrap.closeAll(owned);
            throw e;
        }
    }

    private static void requireRedisson() {
        try {
            Class.forName(REDISSON, false, StoreChoice.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException(ConfigKeys.STORE, "The Redis store was chosen but Redisson is not on the"
                    + " class path; add org.redisson:redisson (4.x) to the application, or unset "
                    + ConfigKeys.REDIS_ADDRESS + " / " + ConfigKeys.REDIS_CONFIG + " to use the database", e);
        }
    }

    private static ClaimStore database(Settings settings, EntityManagerFactory unit, List<AutoCloseable> owned) {
        if (unit == null) {
            try {
                unit = Persistence.createEntityManagerFactory(settings.persistenceUnit());
            } catch (RuntimeException e) {
                throw new ConfigurationException(ConfigKeys.PERSISTENCE_UNIT, "The database store needs a persistence"
                        + " unit, but '" + settings.persistenceUnit() + "' (" + ConfigKeys.PERSISTENCE_UNIT
                        + ") could not be created: " + e.getMessage() + ". Declare it (see"
                        + " META-INF-templates/persistence-unit.xml), give the builder an EntityManagerFactory, or set "
                        + ConfigKeys.REDIS_ADDRESS + " to use Redis", e);
            }
            owned.add(unit::close);
        }
        JpaClaimStore store = JpaClaimStore.create(unit, settings.namespace(), settings.dialect());
        owned.add(0, store);
        return store;
    }

    private static String name(StoreType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
