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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ConflictGuard;
import org.conflictguard.WriteChecksEvent;
import org.conflictguard.internal.Bootstrap;
import org.conflictguard.spi.ClaimListener;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.DependencyResolver;

/**
 * Produces the application's {@link ConflictGuard} from configuration and the application's
 * beans: a {@link ClaimStore} bean is the store; a {@code RedissonClient} bean is one more way to
 * reach Redis, next to the configured address and Redisson file (the store choice itself is made
 * in one place, with the builder's rules, and logged once). The application's
 * {@link EntityManagerFactory} bean (if any) supplies the dependency graph, every
 * {@link DependencyResolver} bean joins it, and every claim event is fired as a CDI
 * {@link ClaimEvent}, every switch of the write checks as a {@link WriteChecksEvent}. Not API.
 */
@ApplicationScoped
public class ConflictGuardProducer {

    private static final String REDISSON = "org.redisson.api.RedissonClient";
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

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
    @Inject
    Event<WriteChecksEvent> switches;

    @Produces
    @ApplicationScoped
    ConflictGuard guard() {
        ClaimListener fire = new ClaimListener() {
            @Override
            public void on(ClaimEvent event) {
                events.fire(event);
            }

            @Override
            public void on(WriteChecksEvent event) {
                switches.fire(event);
            }
        };
        return Bootstrap.start(new Bootstrap.Inputs(Map.of(), stores.isResolvable() ? stores.get() : null,
                "a ClaimStore bean", null, ApplicationUnit.of(units), resolvers.stream().toList(),
                List.of(fire), this::redissonBean, meterRegistryBean()));
    }

    void close(@Disposes ConflictGuard guard) {
        guard.close();
    }

    /** The application's RedissonClient bean, when Redisson is present and there is one; else null. */
    private Object redissonBean() {
        return bean(REDISSON);
    }

    /**
     * The application's MeterRegistry bean, when Micrometer is present and there is one; else
     * null (the guard then reports to Micrometer's global registry). Several (a composite and the
     * registries in it, say) are not an error: the guard uses the global registry and says so.
     */
    private Object meterRegistryBean() {
        try {
            return bean(METER_REGISTRY);
        } catch (jakarta.enterprise.inject.AmbiguousResolutionException several) {
            System.getLogger("org.conflictguard").log(System.Logger.Level.INFO, "The application has several"
                    + " MeterRegistry beans; ConflictGuard reports to Micrometer's global registry"
                    + " (Metrics.globalRegistry). Make one of them the @Default bean to choose it");
            return null;
        }
    }

    /** The application's bean of the named type, when the type is present and there is one bean of it; else null. */
    private Object bean(String typeName) {
        Class<?> type;
        try {
            type = Class.forName(typeName, false, getClass().getClassLoader());
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
