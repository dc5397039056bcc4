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
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimTarget;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Guarded;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.OnConflict;
import org.conflictguard.Row;
import org.conflictguard.internal.GuardedWork;
import org.conflictguard.internal.graph.EntityModel;

/**
 * What the {@link Guarded} interceptor does: reads the rows from the {@link ClaimTarget}
 * parameters (refusing a call that would claim nothing, a null target and an id that is not one
 * of the entity's), then runs the method as guarded work: claimed with dependents, bound while
 * it runs, released on return, on exception, or when a returned {@link CompletionStage}
 * completes. Not API.
 */
@ApplicationScoped
public class GuardedInvocations {

    @Inject
    ConflictGuard guard;
    @Inject
    Instance<EntityManagerFactory> units;

    private volatile EntityModel model;
    private volatile Optional<EntityManagerFactory> unit;

    Object invoke(InvocationContext invocation) throws Exception {
        Method method = invocation.getMethod();
        Guarded guarded = binding(invocation);
        ClaimRequest.Builder request = ClaimRequest.builder()
                .label(guarded.label().isEmpty() ? method.getDeclaringClass().getSimpleName() + "." + method.getName()
                        : guarded.label())
                .dependents(guarded.dependents())
                .mode(guarded.mode())
                .rows(targets(invocation, guarded));
        Duration wait = waitFor(guarded, method);
        if (wait != null) {
            request.waitUpTo(wait);
        }
        return GuardedWork.run(guard, request.build(), invocation::proceed);
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

    /** The rows the call claims; never none: a guarded call that claims nothing would run unprotected. */
    private List<Row> targets(InvocationContext invocation, Guarded guarded) {
        Method method = invocation.getMethod();
        Parameter[] parameters = method.getParameters();
        Object[] values = invocation.getParameters();
        List<Row> rows = new ArrayList<>();
        boolean annotated = false;
        for (int i = 0; i < parameters.length; i++) {
            ClaimTarget target = parameters[i].getAnnotation(ClaimTarget.class);
            if (target == null) {
                continue;
            }
            annotated = true;
            String parameter = where(method) + ": @ClaimTarget parameter " + i
                    + (parameters[i].isNamePresent() ? " ('" + parameters[i].getName() + "')" : "");
            if (values[i] == null) {
                throw new InvalidClaimException(null, null, parameter + " is null, so the call would run with"
                        + " nothing claimed; pass the rows to claim, or call a method that is not @Guarded when there"
                        + " is nothing to protect");
            }
            Class<?> entity = target.entity() != void.class ? target.entity() : guarded.entity();
            List<?> elements = elements(values[i]);
            if (elements.isEmpty()) {
                throw new InvalidClaimException(null, null, parameter + " is empty, so the call would run with"
                        + " nothing claimed; pass at least one row, or skip the call when there is nothing to do");
            }
            for (int e = 0; e < elements.size(); e++) {
                if (elements.get(e) == null) {
                    throw new InvalidClaimException(null, null, parameter + " holds null at index " + e
                            + "; every element must be an id or an entity. Filter nulls out before the call");
                }
                rows.add(row(elements.get(e), entity, method, parameter));
            }
        }
        if (!annotated) {
            throw new InvalidClaimException(null, null, where(method) + " is @Guarded but no parameter carries"
                    + " @ClaimTarget, so it would run with nothing claimed; mark the parameter holding the ids or"
                    + " entities to claim with @ClaimTarget");
        }
        return rows;
    }

    private Row row(Object value, Class<?> entity, Method method, String parameter) {
        if (value.getClass().isAnnotationPresent(Entity.class)) {
            EntityManagerFactory application = unit().orElseThrow(() -> new IllegalStateException(parameter
                    + " holds entities, and reading their ids needs the application's EntityManagerFactory as a CDI"
                    + " bean"));
            return Row.of(entityName(value.getClass()), application.getPersistenceUnitUtil().getIdentifier(value));
        }
        if (entity != void.class && !entity.isAnnotationPresent(Entity.class)) {
            throw new IllegalArgumentException(where(method) + ": " + entity.getName() + " named by @Guarded(entity ="
                    + " ...) or @ClaimTarget(entity = ...) is not a JPA entity (no @Entity); name the entity class the"
                    + " ids belong to");
        }
        if (entity == void.class) {
            throw new IllegalArgumentException(parameter + " holds ids (" + value.getClass().getSimpleName() + "), but"
                    + " neither @ClaimTarget(entity = ...) nor @Guarded(entity = ...) says which entity they belong to");
        }
        EntityModel known = model();
        try {
            return known != null && known.entityName(entity) != null ? known.row(entity, value)
                    : Row.of(entityName(entity), value);
        } catch (InvalidClaimException e) {
            throw new InvalidClaimException(e.entity(), e.id(), parameter + ": " + e.getMessage());
        }
    }

    /** The application unit's entities, to convert ids to their id type; null without an EntityManagerFactory bean. */
    private EntityModel model() {
        EntityModel known = model;
        if (known == null && unit().isPresent()) {
            known = EntityModel.read(unit().get(), List.of());
            model = known;
        }
        return known;
    }

    /** The application's unit among the EntityManagerFactory beans, found once. */
    private Optional<EntityManagerFactory> unit() {
        Optional<EntityManagerFactory> found = unit;
        if (found == null) {
            found = Optional.ofNullable(ApplicationUnit.of(units));
            unit = found;
        }
        return found;
    }

    private static String entityName(Class<?> type) {
        Entity entity = type.getAnnotation(Entity.class);
        return entity != null && !entity.name().isEmpty() ? entity.name() : type.getSimpleName();
    }

    private static List<?> elements(Object value) {
        if (value instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
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
