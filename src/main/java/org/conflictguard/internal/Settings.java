package org.conflictguard.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.StoreType;

/**
 * The settings in force, read once and immutable. Not API.
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
 * @param sources where each value that was set came from, for the startup log
 */
public record Settings(boolean enabled, StoreType store, Optional<String> redisAddress, Optional<String> redisConfig,
        String namespace, Duration lease, Optional<Duration> sweepInterval, String persistenceUnit, String dialect,
        Map<String, String> sources) {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Duration MIN_LEASE = Duration.ofMillis(100);
    private static final Duration MAX_LEASE = Duration.ofDays(30);

    /**
     * Reads every key from {@code explicit}, then MicroProfile Config, system properties and the
     * environment.
     *
     * @throws ConfigurationException naming the first key whose value is not accepted
     */
    public static Settings read(Map<String, String> explicit) {
        ConfigLookup lookup = ConfigLookup.create(explicit);
        return new Settings(
                lookup.get(ConfigKeys.ENABLED).map(v -> bool(ConfigKeys.ENABLED, v)).orElse(true),
                lookup.get(ConfigKeys.STORE).map(Settings::storeType).orElse(StoreType.AUTO),
                lookup.get(ConfigKeys.REDIS_ADDRESS).map(Settings::redisAddress),
                lookup.get(ConfigKeys.REDIS_CONFIG).map(String::trim),
                lookup.get(ConfigKeys.NAMESPACE).map(v -> namespace(ConfigKeys.NAMESPACE, v)).orElse("conflictguard"),
                lookup.get(ConfigKeys.LEASE).map(v -> lease(ConfigKeys.LEASE, v)).orElse(Duration.ofSeconds(30)),
                lookup.get(ConfigKeys.SWEEP_INTERVAL).map(Settings::sweepInterval)
                        .orElse(Optional.of(Duration.ofMinutes(5))),
                lookup.get(ConfigKeys.PERSISTENCE_UNIT).map(String::trim).orElse("conflictguard"),
                lookup.get(ConfigKeys.DATABASE_DIALECT).map(Settings::dialect).orElse("auto"),
                lookup.sources());
    }

    /**
     * Checks one value as {@link #read} would.
     *
     * @throws ConfigurationException if the key is unknown or the value is not accepted
     */
    public static void check(String key, String value) {
        if (!ConfigKeys.ALL.contains(key)) {
            throw new ConfigurationException(key, "Unknown setting '" + key + "'; known settings: " + ConfigKeys.ALL);
        }
        if (value == null) {
            throw new ConfigurationException(key, key + " is null; give a value or leave it unset");
        }
        switch (key) {
            case ConfigKeys.ENABLED -> bool(key, value);
            case ConfigKeys.STORE -> storeType(value);
            case ConfigKeys.REDIS_ADDRESS -> redisAddress(value);
            case ConfigKeys.NAMESPACE -> namespace(key, value);
            case ConfigKeys.LEASE -> lease(key, value);
            case ConfigKeys.SWEEP_INTERVAL -> sweepInterval(value);
            case ConfigKeys.DATABASE_DIALECT -> dialect(value);
            default -> value.trim();
        }
    }

    /**
     * Returns the namespace if accepted.
     *
     * @throws ConfigurationException naming {@link ConfigKeys#NAMESPACE} otherwise
     */
    public static String checkNamespace(String namespace) {
        return namespace(ConfigKeys.NAMESPACE, namespace);
    }

    private static String namespace(String key, String value) {
        if (value == null || !NAMESPACE.matcher(value).matches()) {
            throw new ConfigurationException(key, key + "='" + value + "' is not accepted; use 1 to 64 characters"
                    + " from A-Z a-z 0-9 . _ - (it becomes the Redis hash tag and the database namespace column)");
        }
        return value;
    }

    private static boolean bool(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new ConfigurationException(key, key + "='" + value + "' is not accepted; use true or false");
    }

    private static StoreType storeType(String value) {
        try {
            return StoreType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(ConfigKeys.STORE, ConfigKeys.STORE + "='" + value
                    + "' is not accepted; use auto, redis or database");
        }
    }

    private static String redisAddress(String value) {
        String v = value.trim();
        if (!v.startsWith("redis://") && !v.startsWith("rediss://")) {
            throw new ConfigurationException(ConfigKeys.REDIS_ADDRESS, ConfigKeys.REDIS_ADDRESS + "='" + value
                    + "' is not accepted; use a URI such as redis://127.0.0.1:6379 (or rediss:// for TLS)");
        }
        return v;
    }

    private static String dialect(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("auto") && !v.equals("h2") && !v.equals("postgresql") && !v.equals("mariadb")) {
            throw new ConfigurationException(ConfigKeys.DATABASE_DIALECT, ConfigKeys.DATABASE_DIALECT + "='" + value
                    + "' is not accepted; use auto, h2, postgresql or mariadb");
        }
        return v;
    }

    private static Optional<Duration> sweepInterval(String value) {
        if (value.trim().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        return Optional.of(lease(ConfigKeys.SWEEP_INTERVAL, value));
    }

    /**
     * Parses {@code 30s}, {@code 500ms}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601, from
     * 100ms to 30d.
     *
     * @throws ConfigurationException naming {@code key} otherwise
     */
    static Duration lease(String key, String value) {
        String v = value.trim();
        Duration parsed = null;
        Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                parsed = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                parsed = Duration.parse(v.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            parsed = null;
        }
        if (parsed == null) {
            throw new ConfigurationException(key, key + "='" + value + "' is not a duration; use e.g. 30s, 500ms, 5m,"
                    + " 2h, 1d or PT30S");
        }
        if (parsed.compareTo(MIN_LEASE) < 0 || parsed.compareTo(MAX_LEASE) > 0) {
            throw new ConfigurationException(key, key + "='" + value + "' is out of range; use 100ms to 30d");
        }
        return parsed;
    }
}
