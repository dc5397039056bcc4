package org.conflictguard.internal.metrics;

/** Makes the meters of one guard, loading Micrometer only when a registry is given. Not API. */
public final class MetersFactory {

    private static final String REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MetersFactory() {
    }

    /** Whether Micrometer is on the class path. */
    public static boolean micrometerPresent() {
        try {
            Class.forName(REGISTRY, false, MetersFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Micrometer's global registry, or null when Micrometer is absent. */
    public static Object globalRegistry() {
        return micrometerPresent() ? MicrometerMeters.global() : null;
    }

    /**
     * Meters on {@code registry} (a Micrometer {@code MeterRegistry}), or {@link Meters#NONE} for null.
     *
     * @param store the store's kind, as tagged ({@code redis}, {@code database}, or a class name)
     * @throws IllegalArgumentException if {@code registry} is not a Micrometer {@code MeterRegistry}
     */
    public static Meters create(Object registry, String store, String namespace) {
        if (registry == null) {
            return Meters.NONE;
        }
        if (!micrometerPresent() || !MicrometerMeters.isRegistry(registry)) {
            throw new IllegalArgumentException("the meter registry given (" + registry.getClass().getName()
                    + ") is not a Micrometer io.micrometer.core.instrument.MeterRegistry");
        }
        return new MicrometerMeters(registry, store, namespace);
    }
}
