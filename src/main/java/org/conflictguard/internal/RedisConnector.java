package org.conflictguard.internal;

import java.io.File;
import java.io.IOException;
import java.util.List;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.StoreException;
import org.conflictguard.internal.config.Settings;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Makes the Redis store, from the settings or over an application's client; loaded only when Redis is chosen. */
final class RedisConnector {

    private RedisConnector() {
    }

    /** A store over a client the guard creates from the settings (the guard shuts it down). */
    static ClaimStore connect(Settings settings, List<AutoCloseable> owned) {
        Config config;
        String where;
        String key;
        if (settings.redisConfig().isPresent()) {
            String path = settings.redisConfig().get();
            key = ConfigKeys.REDIS_CONFIG;
            where = key + "=" + path;
            try {
                config = Config.fromYAML(new File(path));
            } catch (IOException | RuntimeException e) {
                throw new ConfigurationException(key, key + "='" + path + "' could not be read as a Redisson YAML"
                        + " configuration: " + e.getMessage(), e);
            }
        } else {
            String address = settings.redisAddress().orElseThrow();
            key = ConfigKeys.REDIS_ADDRESS;
            where = key + "=" + address;
            config = new Config();
            config.useSingleServer().setAddress(address);
        }
        RedissonClient client;
        try {
            client = Redisson.create(config);
        } catch (RuntimeException e) {
            throw new ConfigurationException(key, "Could not connect to Redis (" + where + "): " + e.getMessage()
                    + "; start Redis or fix the setting (the store is never switched silently)", e);
        }
        owned.add(client::shutdown);
        return over(client, settings, where, key, owned);
    }

    /** A store over the application's client (which the guard does not shut down). */
    static ClaimStore over(Object redissonClient, Settings settings, List<AutoCloseable> owned) {
        return over((RedissonClient) redissonClient, settings, "the application's RedissonClient bean",
                ConfigKeys.STORE, owned);
    }

    private static ClaimStore over(RedissonClient client, Settings settings, String where, String key,
            List<AutoCloseable> owned) {
        try {
            RedisClaimStore store = RedisClaimStore.create(client, settings.namespace(), settings.redisSyncReplicas(),
                    settings.redisSyncTimeout());
            owned.add(0, store);
            return store;
        } catch (StoreException e) {
            throw new ConfigurationException(key, "Redis (" + where + ") did not accept the ConflictGuard script: "
                    + e.getMessage() + "; check that Redis is reachable", e);
        }
    }
}
