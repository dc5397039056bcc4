package org.conflictguard.reliability;

import java.util.ArrayList;
import java.util.List;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.HolderProcess;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.TestRedis;

/** Runs a scenario against a holder JVM on Redis, PostgreSQL and MariaDB: the stores two processes can share. */
final class HolderScenarios {

    /** A scenario: this process's store, and the arguments that give the holder the same store (lease to follow). */
    interface Scenario {
        void run(ClaimStore store, List<String> holderStore) throws Exception;
    }

    /** A scenario run against a holder JVM that has claimed its rows. */
    interface WithHolder {
        void run(ConflictGuard guard, HolderProcess holder) throws Exception;
    }

    /**
     * Starts a guard on this process's store and a holder JVM (under {@code prefix}, e.g.
     * faketime) with the given lease on the same store, runs the scenario, and cleans up both.
     */
    static Scenario withHolder(List<String> prefix, long leaseMs, WithHolder scenario) {
        return (store, holderStore) -> {
            List<String> args = new ArrayList<>(holderStore);
            args.add(Long.toString(leaseMs));
            try (ConflictGuard guard = ConflictGuard.builder().store(store).setting(ConfigKeys.SWEEP_INTERVAL, "off")
                    .build();
                    HolderProcess holder = HolderProcess.start(prefix, HolderMain.class.getName(), args)) {
                scenario.run(guard, holder);
            }
        };
    }

    static void onRedis(Scenario scenario) throws Exception {
        String namespace = "holder" + Long.toHexString(System.nanoTime());
        try {
            scenario.run(RedisClaimStore.create(TestRedis.client(), namespace),
                    List.of("redis", TestRedis.address(), namespace));
        } finally {
            TestRedis.client().getKeys().deleteByPattern("{" + namespace + "}:*");
        }
    }

    static void onDatabase(TestDatabase.Kind kind, Scenario scenario) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            List<String> args = new ArrayList<>(List.of("jdbc"));
            args.addAll(db.connection());
            args.add("holder");
            scenario.run(JpaClaimStore.create(db.emf(), "holder"), args);
        }
    }
}
