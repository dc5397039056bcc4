package org.conflictguard.internal.config;

import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads MicroProfile Config; loaded only when its API is on the class path. */
final class MicroProfileConfig {

    private MicroProfileConfig() {
    }

    static Function<String, Optional<String>> lookup() {
        Config config = ConfigProvider.getConfig();
        return key -> config.getOptionalValue(key, String.class);
    }
}
