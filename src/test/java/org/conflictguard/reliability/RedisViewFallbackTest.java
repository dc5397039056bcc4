package org.conflictguard.reliability;

import java.util.ArrayList;
import java.util.List;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.RedisProcess;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The view fed by Redis, on a Redis of the test's own: its subscription killed
 * ({@code CLIENT KILL TYPE pubsub}), and Redis restarted empty.
 */
class RedisViewFallbackTest extends ViewFallbackTest {

    private RedisProcess redis;
    private final List<RedissonClient> clients = new ArrayList<>();

    @Override
    protected ClaimStore newStore(String namespace) {
        if (redis == null) {
            redis = RedisProcess.start();
        }
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(1000).setConnectTimeout(1000)
                .setRetryAttempts(3).setRetryInterval(200);
        RedissonClient client = Redisson.create(config);
        clients.add(client);
        return RedisClaimStore.create(client, namespace);
    }

    @Override
    protected void cutFeed() {
        redis.command("CLIENT KILL TYPE pubsub");
    }

    @Override
    protected void restartStore() {
        redis.restart();
    }

    @Override
    protected void closeStores() {
        clients.forEach(RedissonClient::shutdown);
        if (redis != null) {
            redis.close();
        }
    }
}
