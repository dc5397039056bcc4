package org.conflictguard.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.conflictguard.Holder;
import org.conflictguard.OperationInUseException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.StoreException;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.Namespaces;
import org.redisson.api.RedissonClient;

/**
 * Keeps claims in Redis. Every call is one Lua script run (one round trip), so a claim of any
 * size is checked whole before anything is written and no one ever sees it half made. Leases
 * are measured by the Redis server's clock. All keys of a namespace share the hash tag
 * {@code {namespace}}, so the store also works on Redis Cluster (on one shard).
 *
 * <p>For debugging, {@code SMEMBERS {namespace}:locked:<Entity>} lists the claimed ids of an
 * entity (including rows of lapsed claims not yet swept).
 *
 * <p>Close the store when done with it: it removes the listener it adds to the client's release
 * channel when a claim first waits. It never shuts the client down. Thread-safe.
 */
public final class RedisClaimStore implements ClaimStore {

    private static final int SWEEP_BATCH = 200;

    private final ScriptProtocol protocol;
    private final ReleaseSignal releases;
    private final String description;

    private RedisClaimStore(RedissonClient client, String namespace) {
        String prefix = "{" + namespace + "}";
        this.description = "redis, namespace '" + namespace + "'";
        this.protocol = new ScriptProtocol(client, prefix, description);
        this.releases = new ReleaseSignal(client, prefix);
    }

    /**
     * A store over this client in this namespace. Loads the script into Redis, so an
     * unreachable Redis fails here.
     *
     * @param client the application's Redisson client; the store does not shut it down
     * @param namespace 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
     * @return the store
     * @throws org.conflictguard.ConfigurationException if the namespace is not accepted
     * @throws StoreException if Redis cannot be reached
     */
    public static RedisClaimStore create(RedissonClient client, String namespace) {
        return new RedisClaimStore(client, Namespaces.check(namespace));
    }

    /** @throws OperationInUseException if the operation already holds a live claim */
    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        return protocol.call(Commands.CLAIM, spec);
    }

    @Override
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        return protocol.call(Commands.RENEW, new Commands.Renewal(operationId, token, lease));
    }

    @Override
    public boolean holds(String operationId, long token) {
        return protocol.call(Commands.HOLDS, new Commands.ClaimId(operationId, token));
    }

    @Override
    public int release(String operationId, long token) {
        return protocol.call(Commands.RELEASE, new Commands.ClaimId(operationId, token));
    }

    @Override
    public Map<Row, Holder> inspect(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<Row, Holder> found = new LinkedHashMap<>();
        for (RowClaim claim : protocol.call(Commands.INSPECT, new TreeSet<>(rows))) {
            found.put(claim.row(), claim.holder());
        }
        return Collections.unmodifiableMap(found);
    }

    @Override
    public Optional<Set<String>> claimedIds(String entity, int limit) {
        return protocol.call(Commands.IDS, new Commands.IdsQuery(entity, limit));
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        return protocol.call(Commands.CLAIMS_OF, operationId);
    }

    @Override
    public int forceRelease(String operationId) {
        return protocol.call(Commands.FORCE, operationId);
    }

    @Override
    public SweepSummary sweep() {
        int claims = 0;
        int rows = 0;
        Commands.SweepBatch batch;
        do {
            batch = protocol.call(Commands.SWEEP, SWEEP_BATCH);
            claims += batch.claims();
            rows += batch.rows();
        } while (batch.more());
        return new SweepSummary(claims, rows);
    }

    /** Counts the messages of the {@code {namespace}:released} channel the script publishes to (subscribes on first use). */
    @Override
    public long releases() {
        return releases.count();
    }

    /** Woken by the {@code {namespace}:released} channel; at most 250 ms per call. */
    @Override
    public void awaitRelease(long seen, Duration timeout) throws InterruptedException {
        releases.await(seen, timeout);
    }

    /** The script's own command table, as it answers it. */
    List<String> scriptCommands() {
        return protocol.call(Commands.COMMANDS, null);
    }

    @Override
    public String description() {
        return description;
    }

    /** Removes the release listener this store added to the client; the client stays up. */
    @Override
    public void close() {
        releases.close();
    }

    @Override
    public String toString() {
        return "RedisClaimStore[" + description + "]";
    }
}
