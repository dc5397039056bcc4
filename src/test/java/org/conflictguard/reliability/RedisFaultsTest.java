package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.conflictguard.Claim;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConfigKeys;
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

/** A Redis of the test's own (no persistence) that the tests restart and stop under a live guard. */
class RedisFaultsTest {

    private static final List<Row> ROWS = List.of(Row.of("Task", 1), Row.of("Task", 2), Row.of("Task", 3));

    private RedisProcess redis;
    private RedissonClient client;
    private ConflictGuard guard;
    private final List<ClaimEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(1000).setConnectTimeout(1000)
                .setRetryAttempts(2).setRetryInterval(200);
        client = Redisson.create(config);
        guard = ConflictGuard.builder().store(RedisClaimStore.create(client, "faults")).listener(events::add)
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
    }

    @AfterEach
    void stop() {
        guard.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void aRestartLosingEveryClaimIsNoticedAtTheNextRenewalAndTheClientCarriesOn() {
        Claim held = guard.claim(ClaimRequest.builder().lease(Duration.ofSeconds(1)).rows(ROWS).build()).orElseThrow();

        redis.restart();

        await("the holder learns its claim is gone").atMost(Duration.ofSeconds(20)).until(held::isLost);
        assertThat(events).extracting(ClaimEvent::kind).contains(ClaimEvent.Kind.LOST);
        assertThat(held.isHeld()).isFalse();
        assertThat(guard.inspect(ROWS)).isEmpty();
        try (Claim next = guard.claim(ROWS).orElseThrow()) {
            assertThat(next.token()).isGreaterThan(held.token());
            assertThat(guard.inspect(ROWS)).hasSize(3);
        }
        assertThat(held.release().lost()).isEqualTo(3);
    }

    @Test
    void anUnreachableRedisFailsTheClaimWithinBoundedTimeAndClaimsNothing() {
        redis.kill();
        long start = System.nanoTime();
        assertThatThrownBy(() -> guard.claim(ROWS)).isInstanceOf(StoreException.class)
                .hasMessageContaining("Redis store (redis, namespace 'faults') failed on 'claim'");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));

        redis.restart();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> guard.inspect(ROWS).isEmpty());
        try (Claim claim = guard.claim(ROWS).orElseThrow()) {
            assertThat(claim.rows()).hasSize(3);
        }
    }
}
