package org.conflictguard.graph;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;

/** Graph and write enforcement with claims in Redis. */
class RedisStoreWriteEnforcementTest extends WriteEnforcementTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(TestRedis.client(), namespace);
    }
}
