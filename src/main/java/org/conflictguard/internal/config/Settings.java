package org.conflictguard.internal.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.StoreType;
import org.conflictguard.store.jpa.Dialect;

/**
 * The settings in force, read once from the {@link Setting} table and immutable. Not API.
 *
 * @param enabled see {@link ConfigKeys#ENABLED}
 * @param store see {@link ConfigKeys#STORE}
 * @param redisAddress see {@link ConfigKeys#REDIS_ADDRESS}
 * @param redisConfig see {@link ConfigKeys#REDIS_CONFIG}
 * @param namespace see {@link ConfigKeys#NAMESPACE}
 * @param lease see {@link ConfigKeys#LEASE}
 * @param sweepInterval see {@link ConfigKeys#SWEEP_INTERVAL}; empty when off
 * @param persistenceUnit see {@link ConfigKeys#PERSISTENCE_UNIT}
 * @param dialect see {@link ConfigKeys#DATABASE_DIALECT}
 * @param viewMaxMarks see {@link ConfigKeys#VIEW_MAX_MARKS}
 * @param viewPollInterval see {@link ConfigKeys#VIEW_POLL_INTERVAL}
 * @param redisSyncReplicas see {@link ConfigKeys#REDIS_SYNC_REPLICAS}
 * @param redisSyncTimeout see {@link ConfigKeys#REDIS_SYNC_TIMEOUT}
 * @param metricsEnabled see {@link ConfigKeys#METRICS_ENABLED}
 * @param adminEnabled see {@link ConfigKeys#ADMIN_ENABLED}
 * @param adminRole see {@link ConfigKeys#ADMIN_ROLE}
 * @param sources where each value that was set came from ({@code builder}, {@code MicroProfile
 *     Config}, {@code system property}, {@code environment}), by key
 */
public record Settings(boolean enabled, StoreType store, Optional<String> redisAddress, Optional<String> redisConfig,
        String namespace, Duration lease, Optional<Duration> sweepInterval, String persistenceUnit, Dialect dialect,
        int viewMaxMarks, Duration viewPollInterval, int redisSyncReplicas, Duration redisSyncTimeout,
        boolean metricsEnabled, boolean adminEnabled, Optional<String> adminRole, Map<String, String> sources) {

    /** Where {@link #sources()} says a value given to the builder came from. */
    public static final String BUILDER = "builder";

    /** @throws NullPointerException if a value is null */
    public Settings {
        sources = Map.copyOf(sources);
    }

    /**
     * Reads every key of the table from {@code explicit}, then MicroProfile Config, system
     * properties and the environment.
     *
     * @throws ConfigurationException naming the first key whose value is not accepted
     */
    public static Settings read(Map<String, String> explicit) {
        ConfigLookup lookup = ConfigLookup.create(explicit);
        Map<Setting<?>, Object> values = new HashMap<>();
        for (Setting<?> setting : Setting.ALL) {
            values.put(setting, lookup.get(setting.key()).<Object>map(setting::parse).orElse(setting.defaultValue()));
        }
        return new Settings(value(values, Setting.ENABLED), value(values, Setting.STORE),
                value(values, Setting.REDIS_ADDRESS), value(values, Setting.REDIS_CONFIG),
                value(values, Setting.NAMESPACE), value(values, Setting.LEASE), value(values, Setting.SWEEP_INTERVAL),
                value(values, Setting.PERSISTENCE_UNIT), value(values, Setting.DATABASE_DIALECT),
                value(values, Setting.VIEW_MAX_MARKS), value(values, Setting.VIEW_POLL_INTERVAL),
                value(values, Setting.REDIS_SYNC_REPLICAS), value(values, Setting.REDIS_SYNC_TIMEOUT),
                value(values, Setting.METRICS_ENABLED), value(values, Setting.ADMIN_ENABLED),
                value(values, Setting.ADMIN_ROLE), lookup.sources());
    }

    /**
     * Checks one value as {@link #read} would.
     *
     * @throws ConfigurationException if the key is unknown or the value is not accepted
     */
    public static void check(String key, String value) {
        Setting.of(key).parse(value);
    }

    /** Whether {@code key} was given a value on the builder. */
    public boolean fromBuilder(String key) {
        return BUILDER.equals(sources.get(key));
    }

    /** Whether {@code key} was given a value anywhere. */
    public boolean isSet(String key) {
        return sources.containsKey(key);
    }

    @SuppressWarnings("unchecked")
    private static <T> T value(Map<Setting<?>, Object> values, Setting<T> setting) {
        return (T) values.get(setting);
    }
}
