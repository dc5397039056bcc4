package org.conflictguard.shedlock;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;

/** ShedLock's provider contract on Redis. */
class RedisShedLockContractTest extends ShedLockContractTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(TestRedis.client(), namespace);
    }

    @Override
    protected void dropNamespace(String namespace) {
        TestRedis.client().getKeys().deleteByPattern("{" + namespace + "}:*");
    }
}
