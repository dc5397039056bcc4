package org.conflictguard.containers.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.ConfigProvider;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The application's RedissonClient bean (deployed on Redis only): with the default store setting
 * ({@code auto}), the guard claims in Redis through it. The address is the deployment's
 * {@code containers.redis.address}.
 */
@ApplicationScoped
public class RedisConnection {

    @Produces
    @ApplicationScoped
    RedissonClient redisson() {
        Config config = new Config();
        config.useSingleServer().setAddress(ConfigProvider.getConfig().getValue("containers.redis.address", String.class));
        return Redisson.create(config);
    }

    void close(@Disposes RedissonClient redisson) {
        redisson.shutdown();
    }
}
