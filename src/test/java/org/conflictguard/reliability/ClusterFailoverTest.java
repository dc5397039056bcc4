package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.StoreException;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.RedisCluster;
import org.conflictguard.support.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * The failover of {@link SentinelFailoverTest} on a Redis Cluster of three primaries with a
 * replica each: claims acknowledged while the namespace's replica keeps up, the replica stopped
 * (SIGSTOP) and its link cut, more claims, the namespace's primary killed (SIGKILL) and the
 * replica let go; the cluster promotes it. Then the acknowledged claims, still within their lease,
 * that the new primary lost, and the rows another operation can claim meanwhile. With replica
 * confirmation none; without it, every claim of the lagging window.
 */
@Tag("provider-independent")
class ClusterFailoverTest {

    private static final int BEFORE_LAG = 20;
    private static final int DURING_LAG = 8;
    /** A node counts as failed after this; a replica may take over if it lagged less than ten times it. */
    private static final long NODE_TIMEOUT_MILLIS = 1000;
    private static final Duration SYNC_TIMEOUT = Duration.ofMillis(100);

    private RedisCluster cluster;
    private RedissonClient client;
    private RedisProcess replica;

    @BeforeEach
    void start() {
        cluster = RedisCluster.start(1, NODE_TIMEOUT_MILLIS);
        Config config = new Config();
        var servers = config.useClusterServers().setReadMode(ReadMode.MASTER).setScanInterval(500).setTimeout(1000)
                .setConnectTimeout(1000).setRetryAttempts(2).setRetryInterval(200);
        cluster.addresses().forEach(servers::addNodeAddress);
        client = Redisson.create(config);
    }

    @AfterEach
    void stop() {
        if (replica != null) {
            replica.resume();
        }
        if (client != null) {
            client.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "replica confirmation {0}")
    @ValueSource(booleans = {true, false})
    void afterAFailoverWithALaggingReplica(boolean confirmed) throws Exception {
        String namespace = confirmed ? "cluster-failover-sync" : "cluster-failover-async";
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
            List<Integer> shard = cluster.shardOf("{" + namespace + "}:fence");
            assertThat(shard).as("the namespace's primary and its replica").hasSize(2);
            RedisProcess primary = cluster.node(shard.get(0));
            replica = cluster.node(shard.get(1));

            // What was acknowledged so far has reached the replica, with or without confirmation.
            await("the replica caught up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> cluster.replicationInfo(primary.port(), "master_repl_offset")
                            .equals(cluster.replicationInfo(replica.port(), "master_repl_offset")));
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
            assertThat(lagged).as("the lagging window, inside what the cluster accepts of a replica")
                    .isLessThan(Duration.ofMillis(NODE_TIMEOUT_MILLIS * 8));
            long failingOver = System.nanoTime();
            await("the cluster promotes the replica").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "master".equals(cluster.replicationInfo(replica.port(), "role")));
            Duration failover = Duration.ofNanos(System.nanoTime() - failingOver);
            await("the client follows the failover").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreException(StoreException.class).until(() -> {
                        other.inspect(List.of(Row.of("Task", 0)));
                        return true;
                    });

            FailoverTally tally = FailoverTally.after(other, acknowledged, refused);
            System.out.println("[conflictguard-tests] Redis Cluster failover, replica confirmation "
                    + (confirmed ? "on" : "off") + ": " + tally.describe(BEFORE_LAG) + "; the replica lagged "
                    + lagged.toMillis() + " ms, promoted " + failover.toMillis() + " ms after the kill");
            tally.check(confirmed, BEFORE_LAG, DURING_LAG);
        } finally {
            store.close();
            plain.close();
        }
    }
}
