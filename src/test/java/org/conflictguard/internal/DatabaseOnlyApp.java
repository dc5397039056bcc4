package org.conflictguard.internal;

import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import org.conflictguard.Claim;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.support.TestDatabase;

/** An application that uses only the database store; run by {@link WithoutRedissonTest} without Redisson. */
public final class DatabaseOnlyApp {

    private DatabaseOnlyApp() {
    }

    /** Builds a guard from configuration, claims and releases two rows, and says what happened. */
    public static String run() {
        try (TestDatabase h2 = TestDatabase.create(TestDatabase.Kind.H2)) {
            EntityManagerFactory emf = h2.emf();
            try (ConflictGuard guard = ConflictGuard.builder().entityManagerFactory(emf).build()) {
                Claim claim = guard.claim(List.of(Row.of("Task", 1), Row.of("Task", 2))).orElseThrow();
                int released = claim.release().released();
                String redisson;
                try {
                    Class.forName("org.redisson.api.RedissonClient");
                    redisson = "redisson present";
                } catch (ClassNotFoundException expected) {
                    redisson = "redisson absent";
                }
                return guard.description() + "; claimed " + claim.rows().size() + ", released " + released + "; "
                        + redisson;
            }
        }
    }
}
