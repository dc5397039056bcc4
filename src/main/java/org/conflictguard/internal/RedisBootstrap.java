package org.conflictguard.internal;

import java.io.File;
import java.io.IOException;
import java.util.List;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.StoreException;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Creates the Redisson client from the settings; loaded only when Redis is chosen. */
final class RedisBootstrap {

    private RedisBootstrap() {
    }

    static ClaimStore connect(Settings settings, List<AutoCloseable> owned) {
        Config config;
        String where;
        if (settings.redisConfig().isPresent()) {
            String path = settings.redisConfig().get();
            where = ConfigKeys.REDIS_CONFIG + "=" + path;
            try {
                config = Config.fromYAML(new File(path));
            } catch (IOException | RuntimeException e) {
                throw new ConfigurationException(ConfigKeys.REDIS_CONFIG, ConfigKeys.REDIS_CONFIG + "='" + path
                        + "' could not be read as a Redisson YAML configuration: " + e.getMessage(), e);
            }
        } else {
            String address = settings.redisAddress().orElseThrow();
            where = ConfigKeys.REDIS_ADDRESS + "=" + address;
            config = new Config();
            config.useSingleServer().setAddress(address);
        }
        RedissonClient client;
        try {
            client = Redisson.create(config);
        } catch (RuntimeException e) {
            throw new ConfigurationException(ConfigKeys.REDIS_ADDRESS, "Could not connect to Redis (" + where + "): "
                    + e.getMessage() + "; start Redis or fix the setting (the store is never switched silently)", e);
        }
        owned.add(client::shutdown);
        try {
            return RedisClaimStore.create(client, settings.namespace());
        } catch (StoreException e) {
            throw new ConfigurationException(ConfigKeys.REDIS_ADDRESS, "Redis (" + where + ") did not accept the"
                    + " ConflictGuard script: " + e.getMessage(), e);
        }
    }
}
