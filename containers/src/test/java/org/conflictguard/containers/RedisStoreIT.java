package org.conflictguard.containers;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The scenarios with claims in Redis ({@code REDIS_URL}, else 127.0.0.1:6379), through the
 * application's RedissonClient bean, in a namespace of this run that is deleted afterwards.
 */
public class RedisStoreIT extends ContainerScenarios {

    private static final String ADDRESS = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    private static String namespace;

    @Deployment
    static WebArchive deployment() {
        namespace = "cg-containers-" + Long.toHexString(System.nanoTime());
        return Deployments.war("redis-store", Map.of("conflictguard.store", "redis", "conflictguard.namespace",
                namespace, "containers.redis.address", ADDRESS), true, RedisStoreIT.class, ContainerScenarios.class);
    }

    /** Deletes what the run left in Redis (on the client side, where the deployment was built). */
    @AfterAll
    static void deleteNamespace() {
        if (namespace == null) {
            return; // inside the server
        }
        Config config = new Config();
        config.useSingleServer().setAddress(ADDRESS);
        RedissonClient redis = Redisson.create(config);
        try {
            redis.getKeys().deleteByPattern("*" + namespace + "*");
        } finally {
            redis.shutdown();
        }
    }

    @Override
    String store() {
        return "redis";
    }
}
