package org.conflictguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** How the builder chooses a store, and how it fails when a choice cannot be met. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootstrapTest {

    private TestDatabase h2;

    @BeforeAll
    void startDatabase() {
        h2 = TestDatabase.create(TestDatabase.Kind.H2);
    }

    @AfterAll
    void stopDatabase() {
        h2.close();
    }

    @Test
    void autoPicksRedisWhenAnAddressIsSet() {
        try (ConflictGuard guard = ConflictGuard.builder().setting(ConfigKeys.REDIS_ADDRESS, TestRedis.address())
                .setting(ConfigKeys.NAMESPACE, "bootstrap-test").build()) {
            assertThat(guard.description()).startsWith("redis, namespace 'bootstrap-test'");
            guard.claim(List.of(Row.of("Task", 1))).orElseThrow().release();
        }
    }

    @Test
    void autoPicksTheDatabaseWhenNoRedisIsConfigured() {
        try (ConflictGuard guard = ConflictGuard.builder().entityManagerFactory(h2.emf()).build()) {
            assertThat(guard.description()).startsWith("database (h2), namespace 'conflictguard'");
            guard.claim(List.of(Row.of("Task", 1))).orElseThrow().release();
        }
    }

    @Test
    void anExplicitRedisChoiceWithoutRedisFailsNamingTheSetting() {
        assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.STORE, "redis").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("conflictguard.store=redis but no Redis is configured")
                .hasMessageContaining("conflictguard.redis.address")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(ConfigKeys.STORE));
    }

    @Test
    void anExplicitDatabaseChoiceWithoutAPersistenceUnitFailsNamingTheSetting() {
        assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.STORE, "database")
                .setting(ConfigKeys.REDIS_ADDRESS, TestRedis.address())
                .setting(ConfigKeys.PERSISTENCE_UNIT, "no-such-unit").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'no-such-unit' (conflictguard.persistence-unit) could not be created")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(ConfigKeys.PERSISTENCE_UNIT));
    }

    @Test
    void anUnreachableRedisFailsAtStartupInsteadOfFallingBackToTheDatabase() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        String address = "redis://127.0.0.1:" + port;
        assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.REDIS_ADDRESS, address).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Could not connect to Redis (conflictguard.redis.address=" + address + ")")
                .hasMessageContaining("never switched silently");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aDatabaseWithoutTheTableFailsNamingTheDdlToApply() {
        EntityManagerFactory empty = Persistence.createEntityManagerFactory("conflictguard-test",
                Map.of("jakarta.persistence.jdbc.url", "jdbc:h2:mem:no_ddl_" + System.nanoTime()));
        try {
            assertThatThrownBy(() -> ConflictGuard.builder().entityManagerFactory(empty).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("apply META-INF-templates/ddl/h2.sql");
        } finally {
            empty.close();
        }
    }

    @Test
    void contradictoryInputsAreRefusedNamingBothInsteadOfIgnoringOne() {
        ClaimStore store = JpaClaimStore.create(h2.emf(), "contradictions");
        assertThatThrownBy(() -> ConflictGuard.builder().store(store).entityManagerFactory(h2.emf()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Both store(...) and entityManagerFactory(...) were given");
        for (String key : List.of(ConfigKeys.STORE, ConfigKeys.REDIS_ADDRESS, ConfigKeys.NAMESPACE,
                ConfigKeys.PERSISTENCE_UNIT, ConfigKeys.DATABASE_DIALECT)) {
            String value = key.equals(ConfigKeys.REDIS_ADDRESS) ? TestRedis.address()
                    : key.equals(ConfigKeys.STORE) ? "redis" : key.equals(ConfigKeys.DATABASE_DIALECT) ? "h2" : "x";
            assertThatThrownBy(() -> ConflictGuard.builder().store(store).setting(key, value).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("Both store(...) and setting(" + key + ", ...) were given")
                    .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(key));
        }
        assertThatThrownBy(() -> ConflictGuard.builder().entityManagerFactory(h2.emf())
                .setting(ConfigKeys.REDIS_ADDRESS, TestRedis.address()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Both entityManagerFactory(...) and setting(conflictguard.redis.address, ...)");
        assertThatThrownBy(() -> ConflictGuard.builder().entityManagerFactory(h2.emf())
                .setting(ConfigKeys.STORE, "redis").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("the unit would be ignored");
    }

    @Test
    void aDisabledGuardGrantsEverythingWithoutAStore() {
        try (ConflictGuard guard = ConflictGuard.builder().setting(ConfigKeys.ENABLED, "false")
                .setting(ConfigKeys.STORE, "redis").build()) {
            assertThat(guard.description()).isEqualTo("disabled");
            assertThat(guard.claim(List.of(Row.of("Task", 1))).isClaimed()).isTrue();
            assertThat(guard.claim(List.of(Row.of("Task", 1))).isClaimed()).isTrue();
            assertThat(guard.inspect(List.of(Row.of("Task", 1)))).isEmpty();
        }
    }

    @Test
    void aClosedGuardRefusesNewClaimsAndReleasesOpenOnes() {
        ConflictGuard guard = ConflictGuard.builder().entityManagerFactory(h2.emf())
                .setting(ConfigKeys.NAMESPACE, "close-test").build();
        var claim = guard.claim(List.of(Row.of("Task", 1))).orElseThrow();
        guard.close();
        assertThat(claim.isHeld()).isFalse();
        assertThatThrownBy(() -> guard.claim(List.of(Row.of("Task", 2)))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        try (ConflictGuard other = ConflictGuard.builder().entityManagerFactory(h2.emf())
                .setting(ConfigKeys.NAMESPACE, "close-test").build()) {
            assertThat(other.inspect(List.of(Row.of("Task", 1)))).isEmpty();
        }
    }
}
