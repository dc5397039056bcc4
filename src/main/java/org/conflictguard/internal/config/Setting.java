package org.conflictguard.internal.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.StoreType;
import org.conflictguard.spi.Namespaces;
import org.conflictguard.store.jpa.Dialect;

/**
 * One row of the settings table: a key of {@link ConfigKeys}, what it accepts and its default (as
 * the {@code ConfigKeys} Javadoc, the README and {@code META-INF-templates/microprofile-config.properties}
 * state them, which a test checks), and how its text is read. {@link #ALL} is the table. Not API.
 * Immutable and thread-safe.
 *
 * @param key the configuration key
 * @param accepts what the key accepts, in Markdown
 * @param defaultText the default as written in the docs, or {@code null} when there is none
 * @param parser reads a value, or throws {@link ConfigurationException} naming the key
 * @param defaultValue the value when the key is not set
 * @param <T> the type of the value
 */
public record Setting<T>(String key, String accepts, String defaultText, Parser<T> parser, T defaultValue) {

    /** Reads one value of a setting. */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * @param key the key, for the message
         * @param text the value as configured, not blank
         * @return the value
         * @throws ConfigurationException naming the key if the text is not accepted
         */
        T parse(String key, String text);
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** See {@link ConfigKeys#ENABLED}. */
    public static final Setting<Boolean> ENABLED = new Setting<>(ConfigKeys.ENABLED, "`true` or `false`", "true",
            Setting::bool, true);
    /** See {@link ConfigKeys#STORE}. */
    public static final Setting<StoreType> STORE = new Setting<>(ConfigKeys.STORE, "`auto`, `redis` or `database`",
            "auto", Setting::storeType, StoreType.AUTO);
    /** See {@link ConfigKeys#REDIS_ADDRESS}. */
    public static final Setting<Optional<String>> REDIS_ADDRESS = new Setting<>(ConfigKeys.REDIS_ADDRESS,
            "a Redis URI such as `redis://127.0.0.1:6379` or `rediss://user:pass@host:6380`", null,
            (key, text) -> Optional.of(redisUri(key, text)), Optional.empty());
    /** See {@link ConfigKeys#REDIS_CONFIG}. */
    public static final Setting<Optional<String>> REDIS_CONFIG = new Setting<>(ConfigKeys.REDIS_CONFIG,
            "the path of a Redisson YAML file (sentinel, cluster, TLS...); wins over the address", null,
            (key, text) -> Optional.of(text.trim()), Optional.empty());
    /** See {@link ConfigKeys#NAMESPACE}. */
    public static final Setting<String> NAMESPACE = new Setting<>(ConfigKeys.NAMESPACE,
            "1 to 64 characters from `A-Z a-z 0-9 . _ -`", Namespaces.DEFAULT, (key, text) -> Namespaces.check(text),
            Namespaces.DEFAULT);
    /** See {@link ConfigKeys#LEASE}. */
    public static final Setting<Duration> LEASE = new Setting<>(ConfigKeys.LEASE,
            "a duration from `100ms` to `30d`, as `30s`, `500ms`, `5m`, `2h`, `1d` or ISO-8601 `PT30S`", "30s",
            Setting::duration, Duration.ofSeconds(30));
    /** See {@link ConfigKeys#SWEEP_INTERVAL}. */
    public static final Setting<Optional<Duration>> SWEEP_INTERVAL = new Setting<>(ConfigKeys.SWEEP_INTERVAL,
            "a duration as for the lease, or `off`", "5m", Setting::durationOrOff, Optional.of(Duration.ofMinutes(5)));
    /** See {@link ConfigKeys#PERSISTENCE_UNIT}. */
    public static final Setting<String> PERSISTENCE_UNIT = new Setting<>(ConfigKeys.PERSISTENCE_UNIT,
            "the name of a RESOURCE_LOCAL persistence unit that maps `ObjectLock`", "conflictguard",
            (key, text) -> text.trim(), "conflictguard");
    /** See {@link ConfigKeys#DATABASE_DIALECT}. */
    public static final Setting<Dialect> DATABASE_DIALECT = new Setting<>(ConfigKeys.DATABASE_DIALECT,
            "`auto`, `h2`, `postgresql` or `mariadb`", "auto", (key, text) -> Dialect.parse(text), Dialect.AUTO);

    /** See {@link ConfigKeys#VIEW_MAX_MARKS}. */
    public static final Setting<Integer> VIEW_MAX_MARKS = new Setting<>(ConfigKeys.VIEW_MAX_MARKS,
            "a whole number from `0` to `10000000`", "200000", (key, text) -> wholeNumber(key, text, 0, 10_000_000),
            200_000);
    /** See {@link ConfigKeys#VIEW_POLL_INTERVAL}. */
    public static final Setting<Duration> VIEW_POLL_INTERVAL = new Setting<>(ConfigKeys.VIEW_POLL_INTERVAL,
            "a duration from `1ms` to `10s`, as `10ms`, `1s` or ISO-8601 `PT0.01S`", "10ms",
            (key, text) -> duration(key, text, Duration.ofMillis(1), Duration.ofSeconds(10)), Duration.ofMillis(10));
    /** See {@link ConfigKeys#REDIS_SYNC_REPLICAS}. */
    public static final Setting<Integer> REDIS_SYNC_REPLICAS = new Setting<>(ConfigKeys.REDIS_SYNC_REPLICAS,
            "a whole number from `0` to `10`", "0", (key, text) -> wholeNumber(key, text, 0, 10), 0);
    /** See {@link ConfigKeys#REDIS_SYNC_TIMEOUT}. */
    public static final Setting<Duration> REDIS_SYNC_TIMEOUT = new Setting<>(ConfigKeys.REDIS_SYNC_TIMEOUT,
            "a duration from `1ms` to `60s`, as `500ms`, `1s` or ISO-8601 `PT1S`", "1s",
            (key, text) -> duration(key, text, Duration.ofMillis(1), Duration.ofSeconds(60)), Duration.ofSeconds(1));
    /** See {@link ConfigKeys#METRICS_ENABLED}. */
    public static final Setting<Boolean> METRICS_ENABLED = new Setting<>(ConfigKeys.METRICS_ENABLED,
            "`true` or `false`", "true", Setting::bool, true);

    /** See {@link ConfigKeys#ADMIN_ENABLED}. */
    public static final Setting<Boolean> ADMIN_ENABLED = new Setting<>(ConfigKeys.ADMIN_ENABLED,
            "`true` or `false`", "false", Setting::bool, false);
    /** See {@link ConfigKeys#ADMIN_ROLE}. */
    public static final Setting<Optional<String>> ADMIN_ROLE = new Setting<>(ConfigKeys.ADMIN_ROLE,
            "a role name: letters, digits and `. _ -`, 1 to 100 characters", null, Setting::role, Optional.empty());

    /** The table: every setting, in the order the docs list them. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, STORE, REDIS_ADDRESS, REDIS_CONFIG, NAMESPACE, LEASE,
            SWEEP_INTERVAL, PERSISTENCE_UNIT, DATABASE_DIALECT, VIEW_MAX_MARKS, VIEW_POLL_INTERVAL,
            REDIS_SYNC_REPLICAS, REDIS_SYNC_TIMEOUT, METRICS_ENABLED, ADMIN_ENABLED, ADMIN_ROLE);

    private static Optional<String> role(String key, String value) {
        String v = value.trim();
        if (!v.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ConfigurationException(key, key + "='" + value + "' is not accepted; use a role name of letters,"
                    + " digits and . _ - (1 to 100 characters), as the application server knows it");
        }
        return Optional.of(v);
    }

    /**
     * The setting of a key.
     *
     * @throws ConfigurationException naming the key if no setting has it
     */
    public static Setting<?> of(String key) {
        for (Setting<?> setting : ALL) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        throw new ConfigurationException(key, "Unknown setting '" + key + "'; known settings: " + ConfigKeys.ALL);
    }

    /**
     * Reads a configured value.
     *
     * @throws ConfigurationException naming the key if the value is not accepted
     */
    public T parse(String text) {
        if (text == null) {
            throw new ConfigurationException(key, key + " is null; give a value or leave it unset");
        }
        return parser.parse(key, text);
    }

    /** A bound as the docs write it: {@code 100ms}, {@code 10s}, {@code 30d}. */
    private static String text(Duration bound) {
        if (bound.toMillis() % 86_400_000 == 0) {
            return bound.toDays() + "d";
        }
        return bound.toMillis() % 1000 == 0 ? bound.toSeconds() + "s" : bound.toMillis() + "ms";
    }

    private static boolean bool(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new ConfigurationException(key, key + "='" + value + "' is not accepted; use true or false");
    }

    private static StoreType storeType(String key, String value) {
        try {
            return StoreType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, key + "='" + value + "' is not accepted; use auto, redis or database");
        }
    }

    private static String redisUri(String key, String value) {
        String v = value.trim();
        boolean valid = v.startsWith("redis://") || v.startsWith("rediss://");
        if (valid) {
            try {
                valid = new URI(v).getHost() != null;
            } catch (URISyntaxException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new ConfigurationException(key, key + "='" + value + "' is not accepted; use a URI such as"
                    + " redis://127.0.0.1:6379 (or rediss:// for TLS)");
        }
        return v;
    }

    private static Optional<Duration> durationOrOff(String key, String value) {
        if (value.trim().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        return Optional.of(duration(key, value));
    }

    /**
     * Parses {@code 30s}, {@code 500ms}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601, within the
     * lease bounds of {@link ClaimRequest}.
     *
     * @throws ConfigurationException naming {@code key} otherwise
     */
    static Duration duration(String key, String value) {
        return duration(key, value, ClaimRequest.MIN_LEASE, ClaimRequest.MAX_LEASE);
    }

    private static int wholeNumber(String key, String value, int min, int max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key, key + "='" + value + "' is not a whole number; use e.g. " + max / 50);
        }
        if (parsed < min || parsed > max) {
            throw new ConfigurationException(key, key + "='" + value + "' is out of range; use " + min + " to " + max);
        }
        return (int) parsed;
    }

    private static Duration duration(String key, String value, Duration min, Duration max) {
        String v = value.trim();
        Duration parsed;
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
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new ConfigurationException(key, key + "='" + value + "' is out of range; use " + text(min) + " to "
                    + text(max));
        }
        return parsed;
    }
}
