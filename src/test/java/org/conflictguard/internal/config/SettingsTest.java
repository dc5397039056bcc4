package org.conflictguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.StoreType;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Settings settings = Settings.read(Map.of());
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.store()).isEqualTo(StoreType.AUTO);
        assertThat(settings.namespace()).isEqualTo("conflictguard");
        assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.sweepInterval()).contains(Duration.ofMinutes(5));
        assertThat(settings.redisAddress()).isEmpty();
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(Setting.duration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Setting.duration("k", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Setting.duration("k", "PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Settings.read(Map.of(ConfigKeys.SWEEP_INTERVAL, "off")).sweepInterval()).isEqualTo(Optional.empty());
    }

    @Test
    void aBadValueNamesItsKeyAndWhatIsAccepted() {
        assertThatThrownBy(() -> Settings.check(ConfigKeys.LEASE, "0s")).isInstanceOf(ConfigurationException.class)
                .hasMessage("conflictguard.lease='0s' is out of range; use 100ms to 30d")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(ConfigKeys.LEASE));
        assertThatThrownBy(() -> Settings.check(ConfigKeys.LEASE, "-5s")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> Settings.check(ConfigKeys.STORE, "memcached"))
                .hasMessage("conflictguard.store='memcached' is not accepted; use auto, redis or database");
        assertThatThrownBy(() -> Settings.check(ConfigKeys.NAMESPACE, "{app}"))
                .hasMessageContaining("conflictguard.namespace='{app}' is not accepted");
        assertThatThrownBy(() -> Settings.check(ConfigKeys.REDIS_ADDRESS, "127.0.0.1:6379"))
                .hasMessageContaining("use a URI such as redis://127.0.0.1:6379");
        assertThatThrownBy(() -> Settings.check(ConfigKeys.ENABLED, "yes")).hasMessageContaining("use true or false");
        assertThatThrownBy(() -> Settings.check(ConfigKeys.DATABASE_DIALECT, "oracle"))
                .hasMessageContaining("use auto, h2, postgresql or mariadb")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(ConfigKeys.DATABASE_DIALECT));
        assertThatThrownBy(() -> Settings.check(ConfigKeys.REDIS_ADDRESS, "redis://")).isInstanceOf(
                ConfigurationException.class).hasMessageContaining("use a URI such as redis://127.0.0.1:6379");
        assertThatThrownBy(() -> Settings.check("conflictguard.leese", "30s"))
                .hasMessageContaining("Unknown setting 'conflictguard.leese'");
    }

    @Test
    void valuesComeFromMicroProfileConfigUnlessTheBuilderSetsThem() {
        // src/test/resources/META-INF/microprofile-config.properties sets the persistence unit.
        Settings settings = Settings.read(Map.of());
        assertThat(settings.persistenceUnit()).isEqualTo("conflictguard-test");
        assertThat(settings.sources()).containsEntry(ConfigKeys.PERSISTENCE_UNIT, "MicroProfile Config");
        assertThat(Settings.read(Map.of(ConfigKeys.PERSISTENCE_UNIT, "explicit")).persistenceUnit())
                .isEqualTo("explicit");
    }
}
