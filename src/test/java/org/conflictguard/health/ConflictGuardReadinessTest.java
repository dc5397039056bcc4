package org.conflictguard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConflictGuard;
import org.conflictguard.cdi.ConflictGuardProducer;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.RedisProcess;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The readiness check in a real CDI container (Weld SE), found as a {@code @Readiness} bean, over
 * a Redis server of its own that the test kills and restarts.
 */
class ConflictGuardReadinessTest {

    private RedisProcess redis;
    private RedissonClient client;
    private WeldContainer container;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(1000).setConnectTimeout(1000)
                .setRetryAttempts(1).setRetryInterval(200);
        client = Redisson.create(config);
        HealthBeans.store = RedisClaimStore.create(client, "health");
        container = new Weld().disableDiscovery().addBeanClasses(ConflictGuardProducer.class,
                ConflictGuardReadiness.class, HealthBeans.class).initialize();
    }

    @AfterEach
    void stop() {
        container.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void withSeveralMeterRegistryBeansTheGuardStartsAndReportsToTheGlobalRegistry() {
        container.close();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry global =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(global);
        try {
            container = new Weld().disableDiscovery().addBeanClasses(ConflictGuardProducer.class,
                    ConflictGuardReadiness.class, HealthBeans.class, TwoRegistries.class).initialize();
            ConflictGuard guard = container.select(ConflictGuard.class).get();
            guard.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow().release();
            assertThat(global.get("conflictguard.claims").tag("namespace", "health").tag("result", "granted")
                    .tag("mode", "exclusive").counter().count()).isEqualTo(1);
            assertThat(TwoRegistries.FIRST.find("conflictguard.claims").counter()).isNull();
            assertThat(TwoRegistries.SECOND.find("conflictguard.claims").counter()).isNull();
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(global);
        }
    }

    @Test
    void upWithTheStoresDataWhileItAnswersDownWhenItDoesNotAndUpAgainWhenItIsBack() {
        HealthCheck check = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
        ConflictGuard guard = container.select(ConflictGuard.class).get();

        HealthCheckResponse idle = check.call();
        assertThat(idle.getName()).isEqualTo("conflictguard");
        assertThat(idle.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        Map<String, Object> data = idle.getData().orElseThrow();
        assertThat(data).containsEntry("claims", 0L).containsEntry("lease", "PT30S").containsKey("roundTripMicros");
        assertThat(data.get("store").toString()).contains("redis").contains("'health'");
        assertThat((Long) data.get("roundTripMicros")).isPositive();

        Claim claim = guard.claim(ClaimRequest.builder().operationId("op-secret").user("alice").label("export")
                .row("Task", 7).build()).orElseThrow();
        HealthCheckResponse busy = check.call();
        assertThat(busy.getData().orElseThrow()).containsEntry("claims", 1L);
        assertThat(busy.getData().orElseThrow().values()).allSatisfy(value -> assertThat(value.toString())
                .doesNotContain("op-secret").doesNotContain("alice").doesNotContain("Task"));

        redis.kill();
        HealthCheckResponse down = check.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow()).containsKey("problem").doesNotContainKey("claims");
        assertThat(down.getData().orElseThrow().get("problem").toString()).contains("Exception");

        redis.restart();
        await("the check is up again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
        // The restarted server kept nothing: the claim's rows are reported lost.
        assertThat(claim.release().lost()).isEqualTo(1);
    }
}
