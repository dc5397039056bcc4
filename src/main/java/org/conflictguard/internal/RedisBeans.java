package org.conflictguard.internal;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.redisson.api.RedissonClient;

/** Wraps an application's RedissonClient bean; loaded only when there is one. Not API. */
public final class RedisBeans {

    private RedisBeans() {
    }

    /** A Redis store over the application's client (which the store does not shut down). */
    public static ClaimStore store(Object redissonClient, String namespace) {
        return RedisClaimStore.create((RedissonClient) redissonClient, namespace);
    }
}
