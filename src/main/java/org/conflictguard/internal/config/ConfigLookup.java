package org.conflictguard.internal.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Looks settings up in explicit values, MicroProfile Config, system properties, environment. */
final class ConfigLookup {

    private static final String MP_CONFIG_PROVIDER = "org.eclipse.microprofile.config.ConfigProvider";

    private final Map<String, String> explicit;
    private final Function<String, Optional<String>> microProfile;
    private final Map<String, String> sources = new LinkedHashMap<>();

    private ConfigLookup(Map<String, String> explicit, Function<String, Optional<String>> microProfile) {
        this.explicit = explicit;
        this.microProfile = microProfile;
    }

    static ConfigLookup create(Map<String, String> explicit) {
        return new ConfigLookup(explicit, microProfileConfig());
    }

    Optional<String> get(String key) {
        String value = explicit.get(key);
        String source = Settings.BUILDER;
        if (value == null && microProfile != null) {
            value = microProfile.apply(key).orElse(null);
            source = "MicroProfile Config";
        }
        if (value == null) {
            value = System.getProperty(key);
            source = "system property";
        }
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            source = "environment";
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        sources.put(key, source);
        return Optional.of(value);
    }

    Map<String, String> sources() {
        return Map.copyOf(sources);
    }

    /** MicroProfile Config when its API and an implementation are present, else null. */
    private static Function<String, Optional<String>> microProfileConfig() {
        try {
            Class.forName(MP_CONFIG_PROVIDER, false, ConfigLookup.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
        try {
            return MicroProfileConfig.lookup();
        } catch (RuntimeException | LinkageError broken) {
            System.getLogger("org.conflictguard").log(System.Logger.Level.WARNING, "MicroProfile Config is on the class"
                    + " path but could not be read (" + broken + "); ConflictGuard reads its settings from system"
                    + " properties and the environment only");
            return null;
        }
    }
}
