package org.conflictguard.internal.write;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;

/** The view fed by Redis publish/subscribe. */
class RedisClaimViewTest extends ClaimViewTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(TestRedis.client(), namespace);
    }
}
