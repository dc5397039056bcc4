package org.conflictguard.internal.write;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.conflictguard.WriteRefusedException;

/**
 * The entity listener's entry: finds the running guards that know an entity class and lets each
 * check the write. Every guard that knows the class checks it, and the write passes only if
 * none refuses: two guards (two namespaces, two stores) in one JVM each keep their own claims,
 * so neither may let a write to a row the other's claims cover pass. Not API. Thread-safe.
 */
public final class WriteChecks {

    /** Replaced whole on every change, so that checks read it without locking. */
    private static volatile Map<Class<?>, List<WriteEnforcer>> enforcers = Map.of();

    private WriteChecks() {
    }

    /**
     * Checks one write; a no-op for classes no running guard knows.
     *
     * @throws WriteRefusedException if a guard refuses the write
     */
    public static void check(Object entity, WriteRefusedException.Write write) {
        List<WriteEnforcer> checking = enforcers.get(entity.getClass());
        if (checking != null) {
            for (WriteEnforcer enforcer : checking) {
                enforcer.check(entity, write);
            }
        }
    }

    /** Tells the guards that know the entity's class that the application loaded it. */
    public static void loaded(Object entity) {
        List<WriteEnforcer> checking = enforcers.get(entity.getClass());
        if (checking != null) {
            for (WriteEnforcer enforcer : checking) {
                enforcer.loaded(entity);
            }
        }
    }

    /**
     * Lets {@code enforcer} check writes to these classes until the returned registration is closed.
     */
    public static AutoCloseable register(WriteEnforcer enforcer, Collection<Class<?>> classes) {
        synchronized (WriteChecks.class) {
            Map<Class<?>, List<WriteEnforcer>> next = copy();
            for (Class<?> type : classes) {
                next.computeIfAbsent(type, k -> new ArrayList<>()).add(enforcer);
            }
            enforcers = freeze(next);
        }
        return () -> unregister(enforcer);
    }

    private static void unregister(WriteEnforcer enforcer) {
        synchronized (WriteChecks.class) {
            Map<Class<?>, List<WriteEnforcer>> next = copy();
            next.values().forEach(list -> list.remove(enforcer));
            next.values().removeIf(List::isEmpty);
            enforcers = freeze(next);
        }
    }

    private static Map<Class<?>, List<WriteEnforcer>> copy() {
        Map<Class<?>, List<WriteEnforcer>> copy = new HashMap<>();
        enforcers.forEach((type, list) -> copy.put(type, new ArrayList<>(list)));
        return copy;
    }

    private static Map<Class<?>, List<WriteEnforcer>> freeze(Map<Class<?>, List<WriteEnforcer>> map) {
        Map<Class<?>, List<WriteEnforcer>> frozen = new HashMap<>();
        map.forEach((type, list) -> frozen.put(type, List.copyOf(list)));
        return Map.copyOf(frozen);
    }
}
