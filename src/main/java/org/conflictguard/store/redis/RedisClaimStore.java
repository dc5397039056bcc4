package org.conflictguard.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.conflictguard.Holder;
import org.conflictguard.Mark;
import org.conflictguard.OperationInUseException;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.StoreException;
import org.conflictguard.SweepSummary;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimRecord;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.spi.ClaimWatcher;
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
 * <p>Close the store when done with it: it removes the listener it adds to the client's
 * {@code {namespace}:changes} channel when a claim first waits (a view's subscription ends when
 * the handle {@link #watch} returned is closed). It never shuts the client down. Thread-safe.
 */
public final class RedisClaimStore implements ClaimStore {

    private static final int SWEEP_BATCH = 200;

    private final RedissonClient client;
    private final String prefix;
    private final ScriptProtocol protocol;
    private final ReleaseSignal releases;
    private final String description;

    private final String namespace;

    private RedisClaimStore(RedissonClient client, String namespace, ReplicaSync sync) {
        this.client = client;
        this.namespace = namespace;
        this.prefix = "{" + namespace + "}";
        this.description = "redis, namespace '" + namespace + "'";
        this.protocol = new ScriptProtocol(client, prefix, description, sync);
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
        return new RedisClaimStore(client, Namespaces.check(namespace), ReplicaSync.NONE);
    }

    /**
     * A store whose claims, renewals and releases count only once {@code replicas} replicas
     * confirmed them (Redis {@code WAIT}, in the same round trip), so that a failover to one of
     * them loses none of them. A claim the primary granted but the replicas did not confirm in
     * time is withdrawn (released on the primary) and the call fails with a
     * {@link StoreException} that says so; nothing is claimed then. A renewal or release not
     * confirmed fails the same way after the primary made it.
     *
     * @param client the application's Redisson client; the store does not shut it down
     * @param namespace 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
     * @param replicas how many replicas must confirm each write, from 0 (none: as
     *     {@link #create(RedissonClient, String)}) to 10
     * @param timeout how long to wait for them, from 1 ms to 60 s
     * @return the store
     * @throws IllegalArgumentException naming the parameter if {@code replicas} or {@code timeout} is out of range
     * @throws org.conflictguard.ConfigurationException if the namespace is not accepted, or fewer than
     *     {@code replicas} replicas confirm a write now (a Redis without replicas, say)
     * @throws StoreException if Redis cannot be reached
     */
    public static RedisClaimStore create(RedissonClient client, String namespace, int replicas,
            java.time.Duration timeout) {
        ReplicaSync sync = new ReplicaSync(replicas, timeout);
        RedisClaimStore store = new RedisClaimStore(client, Namespaces.check(namespace), sync);
        if (sync.enabled()) {
            int confirming = store.protocol.replicasConfirming();
            if (confirming < replicas) {
                store.close();
                throw new org.conflictguard.ConfigurationException(org.conflictguard.ConfigKeys.REDIS_SYNC_REPLICAS,
                        "Claims must be confirmed by " + replicas + " replica(s) ("
                        + org.conflictguard.ConfigKeys.REDIS_SYNC_REPLICAS + "=" + replicas + "), but only "
                        + confirming + " replica(s) of this Redis confirmed a write within " + timeout.toMillis()
                        + " ms: add replicas, or lower or unset the setting");
            }
        }
        return store;
    }

    /** @throws OperationInUseException if the operation already holds a live claim */
    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        return claim(new Commands.Asked(spec));
    }

    /** @throws OperationInUseException if the operation already holds a live claim */
    @Override
    public ClaimOutcome claim(ClaimSpec spec, org.conflictguard.spi.QueuePlace place) {
        return claim(new Commands.Asked(spec, place.ticket(), Math.max(1, place.keep().toMillis())));
    }

    @Override
    public void leaveQueue(long ticket) {
        try {
            protocol.call(Commands.LEAVE, ticket);
        } catch (ReplicaSync.Unconfirmed unconfirmed) {
            // Left on the primary; a replica that takes over keeps the place until it lapses.
        }
    }

    @Override
    public boolean queuesWaiters() {
        return true;
    }

    /** One script call: every live claim's hash. */
    @Override
    public Optional<List<org.conflictguard.LiveOperation>> liveOperations() {
        return Optional.of(protocol.call(Commands.OPERATIONS, null));
    }

    /** True: releases and places leaving the queue are published on the namespace's channel. */
    @Override
    public boolean pushesReleases() {
        return true;
    }

    private ClaimOutcome claim(Commands.Asked asked) {
        ClaimSpec spec = asked.spec();
        try {
            return protocol.call(Commands.CLAIM, asked);
        } catch (ReplicaSync.Unconfirmed unconfirmed) {
            ClaimOutcome outcome = (ClaimOutcome) unconfirmed.reply();
            if (!outcome.isGranted()) {
                return outcome; // nothing was written
            }
            String withdrawn;
            try {
                protocol.call(Commands.RELEASE, new Commands.ClaimId(spec.operationId(), outcome.token()));
                withdrawn = "it was withdrawn (released on the primary): nothing is claimed";
            } catch (ReplicaSync.Unconfirmed releaseUnconfirmed) {
                withdrawn = "it was withdrawn on the primary (the release not confirmed either): nothing is claimed"
                        + " there, and a replica that takes over holds it at most until " + outcome.leaseUntil();
            } catch (StoreException e) {
                withdrawn = "withdrawing it failed too (" + e.getMessage() + "): it lapses with its lease at "
                        + outcome.leaseUntil() + " unless the operation claims again";
            }
            throw new StoreException("Redis store (" + description + "): the claim of " + spec.rows().size()
                    + " row(s) for operation '" + spec.operationId() + "' was granted by the primary, but only "
                    + unconfirmed.confirmed() + " replica(s) confirmed it in time; " + withdrawn + ". Retry the claim"
                    + " once the replicas keep up", unconfirmed);
        }
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
    public Map<Row, RowClaim> marksOn(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<Row, RowClaim> found = new LinkedHashMap<>();
        for (RowClaim claim : protocol.call(Commands.MARKS, new TreeSet<>(rows))) {
            found.merge(claim.row(), claim, RowClaim::wider);
        }
        return Collections.unmodifiableMap(found);
    }

    @Override
    public Map<Row, List<Holder>> holdersBelow(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<Row, List<Holder>> found = new LinkedHashMap<>();
        for (RowClaim claim : protocol.call(Commands.BELOW, new TreeSet<>(rows))) {
            found.computeIfAbsent(claim.row(), r -> new java.util.ArrayList<>()).add(claim.holder());
        }
        return Collections.unmodifiableMap(found);
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

    /** Counts the ends of claims the script publishes on {@code {namespace}:changes} (subscribes on first use). */
    @Override
    public long releases() {
        return releases.count();
    }

    /** Woken by the ends of claims on {@code {namespace}:changes}; at most 250 ms per call. */
    @Override
    public void awaitRelease(long seen, Duration timeout) throws InterruptedException {
        releases.await(seen, timeout);
    }

    /** The tokens of the {@code {namespace}:leases} sorted set, live or lapsed. */
    @Override
    public Optional<Set<Long>> claimTokens() {
        return Optional.of(protocol.call(Commands.TOKENS, null));
    }

    /** Reads each claim's stored list of marks as it is (Redis does no work per mark). */
    @Override
    public List<ClaimRecord> claimRecords(Collection<Long> tokens, int maxMarks) {
        if (tokens.isEmpty()) {
            return List.of();
        }
        List<ClaimRecord> records = new ArrayList<>(tokens.size());
        int budget = maxMarks;
        for (Map.Entry<Long, List<Object>> claim : protocol.call(Commands.RECORDS, tokens).entrySet()) {
            ClaimRecord record = record(claim.getKey(), claim.getValue(), budget);
            budget -= record.marks().size();
            records.add(record);
        }
        return records;
    }

    /** A claim's stored marks: entity, {ids alone}, {ids with subtree}, per entity. */
    private static ClaimRecord record(long token, List<Object> stored, int budget) {
        int count = 0;
        Set<String> entities = new HashSet<>();
        for (int g = 0; g + 2 < stored.size(); g += 3) {
            entities.add((String) stored.get(g));
            count += ((List<?>) stored.get(g + 1)).size() + ((List<?>) stored.get(g + 2)).size();
        }
        if (count > budget) {
            return ClaimRecord.tooLarge(token, entities);
        }
        List<Mark> marks = new ArrayList<>(count);
        for (int g = 0; g + 2 < stored.size(); g += 3) {
            String entity = (String) stored.get(g);
            for (Object id : (List<?>) stored.get(g + 1)) {
                marks.add(new Mark(new Row(entity, (String) id), Scope.ROW));
            }
            for (Object id : (List<?>) stored.get(g + 2)) {
                marks.add(new Mark(new Row(entity, (String) id), Scope.SUBTREE));
            }
        }
        return ClaimRecord.of(token, marks);
    }

    /**
     * Delivers what the scripts publish on {@code {namespace}:changes}; a lost connection is told
     * at once where the client reports it, and the subscription is checked by a message of its own
     * every second.
     */
    @Override
    public Optional<AutoCloseable> watch(ClaimWatcher watcher) {
        return Optional.of(ChangeFeed.start(client, prefix, watcher));
    }

    /** The script's own command table, as it answers it. */
    List<String> scriptCommands() {
        return protocol.call(Commands.COMMANDS, null);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String namespace() {
        return namespace;
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
