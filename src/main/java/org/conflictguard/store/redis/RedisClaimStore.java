package org.conflictguard.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.conflictguard.Holder;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.StoreException;
import org.conflictguard.SweepSummary;
import org.conflictguard.internal.Settings;
import org.conflictguard.spi.ClaimOutcome;
import org.conflictguard.spi.ClaimSpec;
import org.conflictguard.spi.ClaimStore;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Keeps claims in Redis. Every call is one Lua script run (one round trip), so a claim of any
 * size is checked whole before anything is written and no one ever sees it half made. Leases
 * are measured by the Redis server's clock. All keys of a namespace share the hash tag
 * {@code {namespace}}, so the store also works on Redis Cluster (on one shard).
 *
 * <p>For debugging, {@code SMEMBERS {namespace}:locked:<Entity>} lists the claimed ids of an
 * entity (including rows of lapsed claims not yet swept).
 *
 * <p>Thread-safe.
 */
public final class RedisClaimStore implements ClaimStore {

    private static final String SCRIPT = loadScript();
    private static final int SWEEP_BATCH = 200;

    private final RedissonClient client;
    private final Object releases = new Object();
    private long releaseCount;
    private volatile boolean subscribed;
    private final RScript script;
    private final String prefix;
    private final List<Object> keys;
    private final String description;
    private volatile String sha;

    private RedisClaimStore(RedissonClient client, String namespace) {
        this.client = client;
        this.script = client.getScript(StringCodec.INSTANCE);
        this.prefix = "{" + namespace + "}";
        this.keys = List.of(prefix + ":fence");
        this.description = "redis, namespace '" + namespace + "'";
        this.sha = load();
    }

    /**
     * A store over this client in this namespace. Loads the script into Redis, so an
     * unreachable Redis fails here.
     *
     * @param client the application's Redisson client; the store does not shut it down
     * @param namespace 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
     * @throws org.conflictguard.ConfigurationException if the namespace is not accepted
     * @throws StoreException if Redis cannot be reached
     */
    public static RedisClaimStore create(RedissonClient client, String namespace) {
        return new RedisClaimStore(client, Settings.checkNamespace(namespace));
    }

    @Override
    public ClaimOutcome claim(ClaimSpec spec) {
        List<Object> args = new ArrayList<>(spec.rows().size() + 16);
        args.add(spec.operationId());
        args.add(Long.toString(spec.lease().toMillis()));
        args.add(nullToEmpty(spec.label()));
        args.add(nullToEmpty(spec.user()));
        addGroups(args, spec.rows());
        List<Object> reply = call("claim", args);
        String status = (String) reply.get(0);
        switch (status) {
            case "CLAIMED":
                return ClaimOutcome.granted(number(reply.get(1)), instant(reply.get(2)), instant(reply.get(3)));
            case "CONFLICT":
                return ClaimOutcome.refused(rowClaims(reply, 1));
            case "BUSY":
                throw new IllegalStateException("Operation '" + spec.operationId()
                        + "' already holds a live claim; release it before claiming again, or use a new operation id");
            default:
                throw new StoreException("Redis claim script answered '" + status + "'", null);
        }
    }

    @Override
    public Optional<Instant> renew(String operationId, long token, Duration lease) {
        List<Object> reply = call("renew", List.of(operationId, Long.toString(token), Long.toString(lease.toMillis())));
        return "RENEWED".equals(reply.get(0)) ? Optional.of(instant(reply.get(1))) : Optional.empty();
    }

    @Override
    public boolean holds(String operationId, long token) {
        return number(call("holds", List.of(operationId, Long.toString(token))).get(0)) == 1;
    }

    @Override
    public int release(String operationId, long token) {
        return (int) number(call("release", List.of(operationId, Long.toString(token))).get(0));
    }

    @Override
    public Map<Row, Holder> inspect(Collection<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>(rows.size() + 8);
        addGroups(args, new TreeSet<>(rows));
        Map<Row, Holder> found = new LinkedHashMap<>();
        for (RowClaim claim : rowClaims(call("inspect", args), 0)) {
            found.put(claim.row(), claim.holder());
        }
        return Collections.unmodifiableMap(found);
    }

    @Override
    public Optional<java.util.Set<String>> claimedIds(String entity, int limit) {
        List<Object> reply = call("ids", List.of(entity, Integer.toString(limit)));
        if (number(reply.get(0)) < 0) {
            return Optional.empty();
        }
        java.util.Set<String> ids = new java.util.HashSet<>(reply.size() * 2);
        for (int i = 1; i < reply.size(); i++) {
            ids.add(String.valueOf(reply.get(i)));
        }
        return Optional.of(ids);
    }

    @Override
    public List<RowClaim> claimsOf(String operationId) {
        return rowClaims(call("claims_of", List.of(operationId)), 0);
    }

    @Override
    public int forceRelease(String operationId) {
        return (int) number(call("force", List.of(operationId)).get(0));
    }

    @Override
    public SweepSummary sweep() {
        int claims = 0;
        int rows = 0;
        boolean more = true;
        while (more) {
            List<Object> reply = call("sweep", List.of(Integer.toString(SWEEP_BATCH)));
            claims += (int) number(reply.get(0));
            rows += (int) number(reply.get(1));
            more = number(reply.get(2)) == 1;
        }
        return new SweepSummary(claims, rows);
    }

    /** Woken by the {@code {namespace}:released} channel the script publishes to; at most 250 ms per call. */
    @Override
    public void awaitRelease(Duration timeout) throws InterruptedException {
        subscribe();
        long millis = Math.min(250, timeout.toMillis());
        synchronized (releases) {
            long seen = releaseCount;
            long until = System.nanoTime() + millis * 1_000_000L;
            while (releaseCount == seen && until - System.nanoTime() > 0) {
                releases.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
            }
        }
    }

    private void subscribe() {
        if (!subscribed) {
            synchronized (releases) {
                if (!subscribed) {
                    client.getTopic(prefix + ":released", StringCodec.INSTANCE).addListener(String.class,
                            (channel, token) -> {
                                synchronized (releases) {
                                    releaseCount++;
                                    releases.notifyAll();
                                }
                            });
                    subscribed = true;
                }
            }
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "RedisClaimStore[" + description + "]";
    }

    /** Entity groups as the script reads them: entity, count, ids... (rows arrive sorted). */
    private static void addGroups(List<Object> args, Collection<Row> sortedRows) {
        String entity = null;
        int countAt = -1;
        int count = 0;
        for (Row row : sortedRows) {
            if (!row.entity().equals(entity)) {
                if (countAt >= 0) {
                    args.set(countAt, Integer.toString(count));
                }
                entity = row.entity();
                args.add(entity);
                countAt = args.size();
                args.add(null);
                count = 0;
            }
            args.add(row.id());
            count++;
        }
        if (countAt >= 0) {
            args.set(countAt, Integer.toString(count));
        }
    }

    /** Parses n, (entity, id, token) * n, then (token, op, label, user, since, lease) records. */
    private static List<RowClaim> rowClaims(List<Object> reply, int at) {
        int n = (int) number(reply.get(at));
        int holdersAt = at + 1 + 3 * n;
        Map<String, Holder> holders = new HashMap<>();
        for (int i = holdersAt; i + 5 < reply.size(); i += 6) {
            holders.put((String) reply.get(i), new Holder((String) reply.get(i + 1), emptyToNull(reply.get(i + 2)),
                    emptyToNull(reply.get(i + 3)), instant(reply.get(i + 4)), instant(reply.get(i + 5))));
        }
        TreeMap<Row, Holder> claims = new TreeMap<>();
        for (int i = at + 1; i < holdersAt; i += 3) {
            claims.put(new Row((String) reply.get(i), (String) reply.get(i + 1)), holders.get((String) reply.get(i + 2)));
        }
        List<RowClaim> result = new ArrayList<>(claims.size());
        claims.forEach((row, holder) -> result.add(new RowClaim(row, holder)));
        return result;
    }

    private List<Object> call(String command, List<Object> commandArgs) {
        Object[] args = new Object[commandArgs.size() + 2];
        args[0] = prefix;
        args[1] = command;
        for (int i = 0; i < commandArgs.size(); i++) {
            args[i + 2] = commandArgs.get(i);
        }
        try {
            return evaluate(args);
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("NOSCRIPT")) {
                // Redis restarted or flushed its scripts: load again and retry once.
                try {
                    sha = load();
                    return evaluate(args);
                } catch (RuntimeException again) {
                    throw failure(command, again);
                }
            }
            throw failure(command, e);
        }
    }

    private List<Object> evaluate(Object[] args) {
        Object reply = script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        if (reply instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> objects = (List<Object>) list;
            return objects;
        }
        return List.of(reply);
    }

    private String load() {
        try {
            return script.scriptLoad(SCRIPT);
        } catch (RuntimeException e) {
            throw failure("load", e);
        }
    }

    private StoreException failure(String command, RuntimeException e) {
        return new StoreException("Redis store (" + description + ") failed on '" + command + "': " + e.getMessage()
                + "; check that Redis is reachable. A claim Redis made before the failure lapses with its lease", e);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    private static Instant instant(Object millis) {
        return Instant.ofEpochMilli(number(millis));
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String emptyToNull(Object text) {
        return text == null || "".equals(text) ? null : (String) text;
    }

    private static String loadScript() {
        try (InputStream in = RedisClaimStore.class.getResourceAsStream("conflictguard.lua")) {
            if (in == null) {
                throw new IllegalStateException("conflictguard.lua is missing from the ConflictGuard jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
