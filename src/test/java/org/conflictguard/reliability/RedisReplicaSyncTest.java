package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.StoreException;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Claims confirmed by replicas ({@code conflictguard.redis.sync-replicas}), on a primary and a
 * replica of their own: a claim counts once the replica has it; with the replica stopped
 * (SIGSTOP) a claim fails, withdrawn, and leaves nothing claimed; settings out of range, a Redis
 * without replicas and the database store are refused at start.
 */
@org.junit.jupiter.api.Tag("provider-independent")
class RedisReplicaSyncTest {

    private RedisProcess primary;
    private RedisProcess replica;
    private RedissonClient client;

    @BeforeEach
    void start() {
        primary = RedisProcess.start();
        replica = RedisProcess.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
        client = connect(primary);
    }

    @AfterEach
    void stop() {
        replica.resume();
        client.shutdown();
        replica.close();
        primary.close();
    }

    @Test
    void aClaimCountsOnceTheReplicaHasItAndOneItDoesNotConfirmIsWithdrawn() {
        AtomicReference<RedisClaimStore> created = new AtomicReference<>();
        // The replica confirms writes once its link to the primary is up.
        await("the replica in sync").atMost(Duration.ofSeconds(30)).ignoreException(ConfigurationException.class)
                .until(() -> {
                    created.set(RedisClaimStore.create(client, "sync", 1, Duration.ofMillis(500)));
                    return true;
                });
        RedisClaimStore store = created.get();
        try (ConflictGuard guard = ConflictGuard.builder().store(store).setting(ConfigKeys.SWEEP_INTERVAL, "off")
                .build()) {
            try (Claim claim = guard.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow()) {
                // Acknowledged means on the replica too, at once.
                assertThat(replica.command("SISMEMBER {sync}:locked:Task 1")).isEqualTo(":1");
                assertThat(claim.renew(Duration.ofSeconds(30))).isPresent();
            }
            assertThat(replica.command("SISMEMBER {sync}:locked:Task 1")).isEqualTo(":0");

            replica.pause();
            assertThatThrownBy(() -> guard.claim(ClaimRequest.builder().operationId("unconfirmed").row("Task", 2)
                    .build()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("'unconfirmed'")
                    .hasMessageContaining("only 0 replica(s) confirmed it in time")
                    .hasMessageContaining("withdrawn");
            assertThat(guard.inspect(List.of(Row.of("Task", 2)))).as("nothing claimed on the primary").isEmpty();
            assertThat(guard.claimsOf("unconfirmed")).isEmpty();

            replica.resume();
            await("claims confirmed again").atMost(Duration.ofSeconds(30))
                    .ignoreException(StoreException.class)
                    .until(() -> {
                        guard.claim(ClaimRequest.builder().row("Task", 2).build()).orElseThrow().release();
                        return true;
                    });
        } finally {
            store.close();
        }
    }

    @Test
    void aRedisWithoutEnoughReplicasAndSettingsOutOfRangeAreRefusedAtStart() {
        try (RedisProcess alone = RedisProcess.start()) {
            RedissonClient aloneClient = connect(alone);
            try {
                assertThatThrownBy(() -> RedisClaimStore.create(aloneClient, "sync", 1, Duration.ofMillis(200)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining(ConfigKeys.REDIS_SYNC_REPLICAS)
                        .hasMessageContaining("only 0 replica(s)");
                assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.REDIS_ADDRESS, alone.address())
                        .setting(ConfigKeys.REDIS_SYNC_REPLICAS, "2").build())
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining(ConfigKeys.REDIS_SYNC_REPLICAS);
            } finally {
                aloneClient.shutdown();
            }
        }
        for (String bad : List.of("-1", "11", "one")) {
            assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.REDIS_SYNC_REPLICAS, bad))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining(ConfigKeys.REDIS_SYNC_REPLICAS);
        }
        for (String bad : List.of("0ms", "61s", "soon")) {
            assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.REDIS_SYNC_TIMEOUT, bad))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining(ConfigKeys.REDIS_SYNC_TIMEOUT);
        }
        assertThatThrownBy(() -> RedisClaimStore.create(client, "sync", 11, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicas");
        assertThatThrownBy(() -> RedisClaimStore.create(client, "sync", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.STORE, "database")
                .setting(ConfigKeys.REDIS_SYNC_REPLICAS, "1").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(ConfigKeys.REDIS_SYNC_REPLICAS)
                .hasMessageContaining("database store");
    }

    private static RedissonClient connect(RedisProcess redis) {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(3000).setConnectTimeout(2000)
                .setRetryAttempts(1).setRetryInterval(200);
        return Redisson.create(config);
    }
}
