package org.conflictguard.subtree;

import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;

/** The subtree differential fuzz on Redis. */
class RedisSubtreeFuzzTest extends SubtreeDifferentialFuzzTest {

    @Override
    protected ClaimStore newStore(String namespace) {
        return RedisClaimStore.create(TestRedis.client(), namespace);
    }

    @Override
    protected long leftovers(String namespace) {
        return TestRedis.client().getKeys().getKeysStreamByPattern("{" + namespace + "}:*")
                .filter(k -> !k.endsWith("}:fence")).count();
    }
}
