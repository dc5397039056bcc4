package org.conflictguard.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.RedisProcess;
import org.conflictguard.support.TestRedis;
import org.redisson.api.RedissonClient;

/**
 * Grants pushed by Redis (pub/sub on the namespace's change channel), on a Redis of the test's own:
 * they arrive within milliseconds.
 */
class RedisFreshnessTest extends FreshnessTest {

    private RedisProcess redis;
    private final List<RedissonClient> clients = new ArrayList<>();

    @Override
    protected ClaimStore newStore(String namespace) {
        if (redis == null) {
            redis = RedisProcess.start();
        }
        RedissonClient client = TestRedis.connect(redis.address());
        clients.add(client);
        return RedisClaimStore.create(client, namespace);
    }

    @Override
    protected void closeStores() {
        clients.forEach(RedissonClient::shutdown);
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Duration bound() {
        return Duration.ofMillis(50);
    }
}
