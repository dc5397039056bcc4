package org.conflictguard.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import java.util.Set;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ConflictGuard;
import org.conflictguard.ConflictGuardBuilder;
import org.conflictguard.StoreType;
import org.conflictguard.internal.Settings;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.DependencyResolver;

/**
 * Produces the application's {@link ConflictGuard} from configuration and the application's
 * beans: a {@link ClaimStore} bean if there is one; else a {@code RedissonClient} bean when the
 * store setting allows Redis and no address is configured; else the configured store. The
 * application's {@link EntityManagerFactory} bean (if any) supplies the dependency graph, every
 * {@link DependencyResolver} bean joins it, and every claim event is fired as a CDI
 * {@link ClaimEvent}. Not API.
 */
@ApplicationScoped
public class ConflictGuardProducer {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    @Inject
    BeanManager beans;
    @Inject
    Instance<ClaimStore> stores;
    @Inject
    Instance<EntityManagerFactory> units;
    @Inject
    Instance<DependencyResolver> resolvers;
    @Inject
    Event<ClaimEvent> events;

    @Produces
    @ApplicationScoped
    ConflictGuard guard() {
        ConflictGuardBuilder builder = ConflictGuard.builder();
        if (stores.isResolvable()) {
            builder.store(stores.get());
        } else {
            Object redisson = redissonBean();
            if (redisson != null) {
                LOG.log(System.Logger.Level.INFO, "ConflictGuard chose Redis because the application provides a"
                        + " RedissonClient bean");
                builder.store(org.conflictguard.internal.RedisBeans.store(redisson, Settings.read(java.util.Map.of())
                        .namespace()));
            }
        }
        if (units.isResolvable()) {
            builder.dependencies(units.get());
        }
        resolvers.forEach(builder::resolver);
        builder.listener(events::fire);
        return builder.build();
    }

    void close(@Disposes ConflictGuard guard) {
        guard.close();
    }

    /** The application's RedissonClient bean, when Redisson is present and the settings allow Redis. */
    private Object redissonBean() {
        Settings settings = Settings.read(java.util.Map.of());
        if (settings.store() == StoreType.DATABASE || settings.redisAddress().isPresent()
                || settings.redisConfig().isPresent() || !settings.enabled()) {
            return null;
        }
        Class<?> type;
        try {
            type = Class.forName("org.redisson.api.RedissonClient", false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
        Set<Bean<?>> found = beans.getBeans(type);
        if (found.isEmpty()) {
            return null;
        }
        Bean<?> bean = beans.resolve(found);
        return beans.getReference(bean, type, beans.createCreationalContext(bean));
    }
}
