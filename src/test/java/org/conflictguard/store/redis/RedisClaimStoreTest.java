package org.conflictguard.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.conflictguard.ClaimRequest;
import org.conflictguard.contract.ClaimStoreContractTest;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.TestRedis;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.Map;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.internal.Bootstrap;
import org.redisson.api.RKeys;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The store contract on a real Redis. */
class RedisClaimStoreTest extends ClaimStoreContractTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(TestRedis.client(), namespace);
    }

    @Override
    protected long leftovers(String namespace) {
        RKeys keys = TestRedis.client().getKeys();
        return keys.getKeysStreamByPattern("{" + namespace + "}:*").filter(k -> !k.endsWith("}:fence")).count();
    }

    @Override
    protected String snapshot(String namespace) {
        return RedisSnapshots.of(TestRedis.client(), namespace);
    }

    @Override
    protected void dropNamespace(String namespace) {
        RKeys keys = TestRedis.client().getKeys();
        keys.deleteByPattern("{" + namespace + "}:*");
    }

    @Test
    void thePerEntitySetsListTheClaimedIdsForPeople() {
        try (var claim = guard.claim(ClaimRequest.builder().row("Task", 101).row("Task", 102).row("Project", 25).build())
                .orElseThrow()) {
            assertThat(TestRedis.client().<String>getSet("{" + namespace + "}:locked:Task",
                    org.redisson.client.codec.StringCodec.INSTANCE).readAll()).containsExactlyInAnyOrder("101", "102");
            assertThat(TestRedis.client().<String>getSet("{" + namespace + "}:locked:Project",
                    org.redisson.client.codec.StringCodec.INSTANCE).readAll()).containsExactly("25");
        }
        assertThat(TestRedis.client().getKeys().countExists("{" + namespace + "}:locked:Task")).isZero();
    }

    @Test
    void everyKeyOfANamespaceSharesOneHashSlot() {
        try (var claim = guard.claim(ClaimRequest.builder().row("Task", 1).row("Milestone", 2).build()).orElseThrow()) {
            List<String> keys = TestRedis.client().getKeys().getKeysStreamByPattern("{" + namespace + "}:*").toList();
            assertThat(keys).hasSizeGreaterThanOrEqualTo(7)
                    .allSatisfy(key -> assertThat(key).startsWith("{" + namespace + "}:"));
            // Redis Cluster hashes only the part between the first '{' and the next '}'.
            assertThat(keys).extracting(key -> key.substring(key.indexOf('{') + 1, key.indexOf('}')))
                    .containsOnly(namespace);
        }
    }

    @Test
    void guardsAndStoresClosedOverASharedClientLeaveNoReleaseListenerBehind() throws Exception {
        // Regression: 200 guards built and closed over one client left 200 listeners on the change topic.
        RedissonClient client = TestRedis.client();
        // A namespace per guard and per store: Redisson can take seconds to subscribe again to a channel
        // it has just left.
        for (int i = 0; i < 200; i++) {
            RTopic guardsTopic = client.getTopic("{" + namespace + "-g" + i + "}:changes", StringCodec.INSTANCE);
            RTopic storesTopic = client.getTopic("{" + namespace + "-s" + i + "}:changes", StringCodec.INSTANCE);
            // As the CDI producer builds it: the application's RedissonClient bean, a store the guard makes.
            try (ConflictGuard viaBean = Bootstrap.start(new Bootstrap.Inputs(Map.of(ConfigKeys.NAMESPACE,
                    namespace + "-g" + i), null, null, null, null, List.of(), List.of(), () -> client, null))) {
                org.conflictguard.Row row = org.conflictguard.Row.of("Task", i);
                var holder = viaBean.claim(List.of(row)).orElseThrow();
                var waiter = java.util.concurrent.CompletableFuture.supplyAsync(() -> viaBean.claim(
                        ClaimRequest.builder().rows(List.of(row)).waitUpTo(Duration.ofSeconds(30)).build()));
                await("the waiting claim subscribes").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                        .until(() -> guardsTopic.countListeners() == 1);
                holder.release();
                waiter.get(30, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().release();
            }
            await("no listener left after guard " + i).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(1)).until(() -> guardsTopic.countListeners() == 0);
            try (RedisClaimStore store = RedisClaimStore.create(client, namespace + "-s" + i)) {
                store.awaitRelease(store.releases(), Duration.ofMillis(1));
                assertThat(storesTopic.countListeners()).isEqualTo(1);
            }
            await("no listener left after store " + i).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(1)).until(() -> storesTopic.countListeners() == 0);
        }
        client.getKeys().deleteByPattern("{" + namespace + "-[gs]*}:*");
    }

    @Test
    void tokensKeepGrowingWhenRedisLosesTheCounter() {
        try (var before = guard.claim(List.of(org.conflictguard.Row.of("Task", 1))).orElseThrow()) {
            // A restart takes longer than the millisecond of the last claim (the counter starts again
            // at Redis time x 1024): let Redis's clock pass it, as a restart would.
            await("Redis time after the claim's millisecond").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(1)).until(() -> TestRedis.client().getScript(StringCodec.INSTANCE)
                            .<Long>eval(org.redisson.api.RScript.Mode.READ_ONLY, "local t = redis.call('TIME')"
                                    + " return t[1] * 1000 + math.floor(t[2] / 1000)",
                                    org.redisson.api.RScript.ReturnType.LONG) > before.since().toEpochMilli());
            // What a restart of a Redis that keeps nothing on disk does to the counter.
            TestRedis.client().getKeys().delete("{" + namespace + "}:fence");
            try (var after = guard.claim(List.of(org.conflictguard.Row.of("Task", 2))).orElseThrow()) {
                assertThat(after.token()).isGreaterThan(before.token());
            }
        }
    }
}
