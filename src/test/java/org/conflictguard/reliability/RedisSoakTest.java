package org.conflictguard.reliability;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;

/** The soak on Redis. */
class RedisSoakTest extends SoakTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(TestRedis.client(), namespace);
    }
}
