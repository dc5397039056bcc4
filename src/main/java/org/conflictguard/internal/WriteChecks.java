package org.conflictguard.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.conflictguard.ClaimedRowException;

/** Routes entity callbacks to the guard whose dependency graph knows the entity class. Not API. */
public final class WriteChecks {

    private static final Map<Class<?>, DefaultConflictGuard> GUARDS = new ConcurrentHashMap<>();

    private WriteChecks() {
    }

    /**
     * Checks one write; a no-op for classes no running guard knows.
     *
     * @throws ClaimedRowException if the write is refused
     */
    public static void check(Object entity, ClaimedRowException.Write write) {
        DefaultConflictGuard guard = GUARDS.get(entity.getClass());
        if (guard != null) {
            guard.checkWrite(entity, write);
        }
    }

    static void register(DefaultConflictGuard guard, Iterable<Class<?>> classes) {
        for (Class<?> type : classes) {
            DefaultConflictGuard previous = GUARDS.put(type, guard);
            if (previous != null && previous != guard) {
                System.getLogger("org.conflictguard").log(System.Logger.Level.WARNING, "Two guards know entity "
                        + type.getName() + "; writes to it are now checked by the one built last (" + guard + ")");
            }
        }
    }

    static void unregister(DefaultConflictGuard guard) {
        GUARDS.values().removeIf(g -> g == guard);
    }
}
