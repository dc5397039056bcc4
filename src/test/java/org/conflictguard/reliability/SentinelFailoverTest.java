package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.StoreException;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * A failover with real processes: one primary, one replica and three Sentinels on loopback ports.
 * Claims are acknowledged while the replica keeps up; then the replica is stopped (SIGSTOP) and
 * its link cut, so it lags, more claims are asked for, the primary is killed (SIGKILL) and the replica let go, and
 * Sentinel promotes it. Then: which acknowledged claims, still within their lease, the new
 * primary has lost, and how many of their rows another operation can claim meanwhile (double
 * holders). With replica confirmation none; without it, every claim of the lagging window.
 */
@org.junit.jupiter.api.Tag("provider-independent")
class SentinelFailoverTest {

    private static final String MASTER = "cg";
    private static final int BEFORE_LAG = 20;
    private static final int DURING_LAG = 8;
    /**
     * Sentinel promotes only a replica whose link to the primary was down for less than ten times
     * this (plus the time the primary is down): the lagging window must stay well inside it.
     */
    private static final long DOWN_AFTER_MILLIS = 1000;
    /** How long a confirmed write waits for the replica: short, to keep the lagging window short. */
    private static final Duration SYNC_TIMEOUT = Duration.ofMillis(100);

    private RedisProcess primary;
    private RedisProcess replica;
    private final List<RedisProcess> sentinels = new ArrayList<>();
    private RedissonClient client;

    @BeforeEach
    void start() {
        primary = RedisProcess.start();
        replica = RedisProcess.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
        for (int i = 0; i < 3; i++) {
            sentinels.add(RedisProcess.sentinel(MASTER, primary.port(), DOWN_AFTER_MILLIS));
        }
        Config config = new Config();
        var servers = config.useSentinelServers().setMasterName(MASTER).setReadMode(ReadMode.MASTER)
                .setTimeout(1000).setConnectTimeout(1000).setRetryAttempts(2).setRetryInterval(200)
                .setScanInterval(500);
        for (RedisProcess sentinel : sentinels) {
            servers.addSentinelAddress(sentinel.address());
        }
        // The Sentinels find each other within a few seconds; the client wants to see them all.
        AtomicReference<RedissonClient> connected = new AtomicReference<>();
        await("the Sentinels know each other").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .ignoreException(org.redisson.client.RedisConnectionException.class).until(() -> {
                    connected.set(Redisson.create(config));
                    return true;
                });
        client = connected.get();
    }

    @AfterEach
    void stop() {
        replica.resume();
        if (client != null) {
            client.shutdown();
        }
        for (RedisProcess sentinel : sentinels) {
            sentinel.close();
        }
        replica.close();
        primary.close();
    }

    @ParameterizedTest(name = "replica confirmation {0}")
    @ValueSource(booleans = {true, false})
    void afterAFailoverWithALaggingReplica(boolean confirmed) {
        String namespace = confirmed ? "failover-sync" : "failover-async";
        AtomicReference<RedisClaimStore> created = new AtomicReference<>();
        await("the replica in sync").atMost(Duration.ofSeconds(30)).ignoreException(ConfigurationException.class)
                .until(() -> {
                    created.set(confirmed ? RedisClaimStore.create(client, namespace, 1, SYNC_TIMEOUT)
                            : RedisClaimStore.create(client, namespace));
                    return true;
                });
        RedisClaimStore store = created.get();
        RedisClaimStore plain = RedisClaimStore.create(client, namespace);
        try (ConflictGuard guard = ConflictGuard.builder().store(store).setting(ConfigKeys.LEASE, "2m")
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
                ConflictGuard other = ConflictGuard.builder().store(plain).setting(ConfigKeys.SWEEP_INTERVAL, "off")
                        .build()) {
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < BEFORE_LAG; i++) {
                acknowledged.add(FailoverTally.claimWhileInSync(guard, i));
            }
            assertThat(acknowledged).doesNotContainNull();

            // What was acknowledged so far has reached the replica, with or without confirmation.
            String last = "SISMEMBER {" + namespace + "}:locked:Task " + (BEFORE_LAG - 1);
            await("the replica caught up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> replica.command(last).equals(":1"));
            replica.pause();
            // Cut the link too: a stopped replica's socket would still buffer what the primary sends.
            assertThat(primary.command("CLIENT KILL TYPE replica")).isEqualTo(":1");
            int refused = 0;
            long lagging = System.nanoTime();
            for (int i = BEFORE_LAG; i < BEFORE_LAG + DURING_LAG; i++) {
                String op = FailoverTally.claim(guard, i);
                if (op == null) {
                    refused++;
                } else {
                    acknowledged.add(op);
                }
            }
            primary.kill();
            replica.resume();
            Duration lagged = Duration.ofNanos(System.nanoTime() - lagging);
            assertThat(lagged).as("the lagging window, inside what Sentinel accepts of a replica")
                    .isLessThan(Duration.ofMillis(DOWN_AFTER_MILLIS * 8));
            RedissonClient direct = connect(replica);
            try {
                await("Sentinel promotes the replica").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200)).until(() -> "master".equals(role(direct)));
            } finally {
                direct.shutdown();
            }
            await("the client follows the failover").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreException(StoreException.class).until(() -> {
                        other.inspect(List.of(org.conflictguard.Row.of("Task", 0)));
                        return true;
                    });

            FailoverTally tally = FailoverTally.after(other, acknowledged, refused);
            System.out.println("[conflictguard-tests] Sentinel failover, replica confirmation "
                    + (confirmed ? "on" : "off") + ": " + tally.describe(BEFORE_LAG) + "; the replica lagged "
                    + lagged.toMillis() + " ms");
            tally.check(confirmed, BEFORE_LAG, DURING_LAG);
        } finally {
            store.close();
            plain.close();
        }
    }

    private static String role(RedissonClient direct) {
        try {
            Map<String, String> info = direct.getRedisNodes(RedisNodes.SINGLE).getInstance()
                    .info(RedisNode.InfoSection.REPLICATION);
            return info.get("role");
        } catch (RuntimeException notYet) {
            return null;
        }
    }

    private static RedissonClient connect(RedisProcess redis) {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(1000).setConnectTimeout(1000)
                .setRetryAttempts(1).setRetryInterval(200);
        return Redisson.create(config);
    }
}
