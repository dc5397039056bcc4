package org.conflictguard.reliability;

import org.conflictguard.contract.ClaimStoreContractTest;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.redisson.api.RedissonClient;

/**
 * The whole store contract on a Redis Cluster of three primaries: every key of a namespace
 * shares one hash tag, so each script runs on one shard and no call fails with CROSSSLOT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterClaimStoreTest extends ClaimStoreContractTest {

    private RedisCluster cluster;
    private RedissonClient client;

    @BeforeAll
    void startCluster() {
        cluster = RedisCluster.start();
        client = cluster.client();
    }

    @AfterAll
    void stopCluster() {
        if (client != null) {
            client.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(client, namespace);
    }

    @Override
    protected long leftovers(String namespace) {
        return client.getKeys().getKeysStreamByPattern("{" + namespace + "}:*").filter(k -> !k.endsWith("}:fence"))
                .count();
    }

    @Override
    protected String snapshot(String namespace) {
        return org.conflictguard.store.redis.RedisSnapshots.of(client, namespace);
    }

    @Override
    protected void dropNamespace(String namespace) {
        client.getKeys().deleteByPattern("{" + namespace + "}:*");
    }
}
