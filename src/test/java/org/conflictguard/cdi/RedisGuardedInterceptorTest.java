package org.conflictguard.cdi;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;

/** The interceptor suite with claims in Redis. */
class RedisGuardedInterceptorTest extends GuardedInterceptorTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(TestRedis.client(), namespace);
    }
}
