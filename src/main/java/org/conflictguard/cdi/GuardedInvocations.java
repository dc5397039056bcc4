package org.conflictguard.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimTarget;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Guarded;
import org.conflictguard.OnConflict;
import org.conflictguard.Row;

/**
 * What the {@link Guarded} interceptor does: claims the targets with their dependents, runs
 * the method with the claim bound, releases on return, on exception, or when a returned
 * {@link CompletionStage} completes. Not API.
 */
@ApplicationScoped
public class GuardedInvocations {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");

    @Inject
    ConflictGuard guard;
    @Inject
    Instance<EntityManagerFactory> units;

    Object invoke(InvocationContext invocation) throws Exception {
        Method method = invocation.getMethod();
        Guarded guarded = binding(invocation);
        ClaimRequest.Builder request = ClaimRequest.builder()
                .label(guarded.label().isEmpty() ? method.getDeclaringClass().getSimpleName() + "." + method.getName()
                        : guarded.label())
                .dependents(guarded.dependents())
                .rows(targets(invocation, guarded));
        Duration wait = waitFor(guarded, method);
        if (wait != null) {
            request.waitUpTo(wait);
        }
        Claim claim = guard.claim(request.build()).orElseThrow();
        Object result;
        try (Claim.Binding bound = claim.bind()) {
            result = invocation.proceed();
        } catch (Throwable failure) {
            release(claim);
            throw failure;
        }
        if (result instanceof CompletionStage<?> stage) {
            CompletableFuture<Object> done = new CompletableFuture<>();
            stage.whenComplete((value, failure) -> {
                release(claim);
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(value);
                }
            });
            return done;
        }
        release(claim);
        return result;
    }

    private static void release(Claim claim) {
        try {
            claim.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not release " + claim + "; it lapses with its lease", e);
        }
    }

    private static Guarded binding(InvocationContext invocation) {
        Method method = invocation.getMethod();
        Guarded guarded = method.getAnnotation(Guarded.class);
        if (guarded == null) {
            guarded = method.getDeclaringClass().getAnnotation(Guarded.class);
        }
        if (guarded == null && invocation.getTarget() != null) {
            guarded = invocation.getTarget().getClass().getAnnotation(Guarded.class);
        }
        if (guarded == null) {
            throw new IllegalStateException(where(method) + " is intercepted for @Guarded but carries no @Guarded");
        }
        return guarded;
    }

    private static Duration waitFor(Guarded guarded, Method method) {
        if (guarded.onConflict() == OnConflict.WAIT) {
            if (guarded.waitSeconds() < 1) {
                throw new IllegalArgumentException(where(method) + ": @Guarded(onConflict = WAIT) needs waitSeconds of"
                        + " at least 1");
            }
            return Duration.ofSeconds(guarded.waitSeconds());
        }
        if (guarded.waitSeconds() != 0) {
            throw new IllegalArgumentException(where(method) + ": @Guarded(waitSeconds = " + guarded.waitSeconds()
                    + ") has no effect without onConflict = WAIT; add it or drop waitSeconds");
        }
        return null;
    }

    private List<Row> targets(InvocationContext invocation, Guarded guarded) {
        Method method = invocation.getMethod();
        Parameter[] parameters = method.getParameters();
        Object[] values = invocation.getParameters();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            ClaimTarget target = parameters[i].getAnnotation(ClaimTarget.class);
            if (target == null || values[i] == null) {
                continue;
            }
            Class<?> entity = target.entity() != void.class ? target.entity() : guarded.entity();
            for (Object value : elements(values[i])) {
                if (value != null) {
                    rows.add(row(value, entity, method, i));
                }
            }
        }
        return rows;
    }

    private Row row(Object value, Class<?> entity, Method method, int index) {
        if (value.getClass().isAnnotationPresent(Entity.class)) {
            if (!units.isResolvable()) {
                throw new IllegalStateException(where(method) + ": parameter " + index + " holds entities, and reading"
                        + " their ids needs the application's EntityManagerFactory as a CDI bean");
            }
            return Row.of(entityName(value.getClass()), units.get().getPersistenceUnitUtil().getIdentifier(value));
        }
        if (entity != void.class && !entity.isAnnotationPresent(Entity.class)) {
            throw new IllegalArgumentException(where(method) + ": " + entity.getName() + " named by @Guarded(entity = ...)"
                    + " or @ClaimTarget(entity = ...) is not a JPA entity (no @Entity); name the entity class the ids"
                    + " belong to");
        }
        if (entity == void.class) {
            throw new IllegalArgumentException(where(method) + ": @ClaimTarget parameter " + index + " holds ids ("
                    + value.getClass().getSimpleName() + "), but neither @ClaimTarget(entity = ...) nor @Guarded(entity"
                    + " = ...) says which entity they belong to");
        }
        return Row.of(entityName(entity), value);
    }

    private static String entityName(Class<?> type) {
        Entity entity = type.getAnnotation(Entity.class);
        return entity != null && !entity.name().isEmpty() ? entity.name() : type.getSimpleName();
    }

    private static Iterable<?> elements(Object value) {
        if (value instanceof Collection<?> collection) {
            return collection;
        }
        if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            return list;
        }
        return List.of(value);
    }

    private static String where(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
