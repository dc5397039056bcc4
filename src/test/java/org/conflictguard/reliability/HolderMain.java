package org.conflictguard.reliability;

import jakarta.persistence.Persistence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.conflictguard.Claim;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestRedis;

/**
 * A holder in a process of its own: claims rows, says so on standard output, and keeps its
 * claim (renewing it) until it is killed. Arguments: {@code redis <address> <namespace> <leaseMs>
 * <rows>} or {@code jdbc <url> <user> <password> <namespace> <leaseMs> <rows>}.
 */
public final class HolderMain {

    private HolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ClaimStore store;
        int at;
        if (args[0].equals("redis")) {
            store = RedisClaimStore.create(TestRedis.connect(args[1]), args[2]);
            at = 3;
        } else {
            store = JpaClaimStore.create(Persistence.createEntityManagerFactory("conflictguard-test", Map.of(
                    "jakarta.persistence.jdbc.url", args[1], "jakarta.persistence.jdbc.user", args[2],
                    "jakarta.persistence.jdbc.password", args[3])), args[4]);
            at = 5;
        }
        ConflictGuard guard = ConflictGuard.builder().store(store).setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
        List<Row> rows = IntStream.range(0, Integer.parseInt(args[at + 1])).mapToObj(i -> Row.of("Task", i)).toList();
        Claim claim = guard.claim(ClaimRequest.builder().operationId("doomed").label("killed-holder")
                .lease(Duration.ofMillis(Long.parseLong(args[at]))).rows(rows).build()).orElseThrow();
        System.out.println("CLAIMED " + claim.token());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
