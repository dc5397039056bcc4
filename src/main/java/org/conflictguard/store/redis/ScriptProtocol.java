package org.conflictguard.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.conflictguard.StoreException;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Runs the commands of {@code conflictguard.lua} for one namespace: one {@code EVALSHA} per
 * call, with the namespace's fixed keys in {@code KEYS}, the prefix and the command name first in
 * {@code ARGV}. Loads the script when created and again when Redis has forgotten it. With
 * {@link ReplicaSync replica confirmation}, a write command goes with a {@code WAIT} in one
 * pipeline on one connection, and counts only when enough replicas confirmed it. Thread-safe.
 */
final class ScriptProtocol {

    private static final String SCRIPT = loadScript();

    /** The commands that write: with replica confirmation, they wait for the replicas. */
    private static final java.util.Set<String> WRITES = java.util.Set.of("claim", "renew", "release", "force", "sweep");

    private final RedissonClient client;
    private final ReplicaSync sync;
    private final RScript script;
    /** The same script, its replies' strings read byte for byte (a claim's stored msgpack lists). */
    private final RScript bytesScript;
    private final String prefix;
    private final List<Object> keys;
    private final String description;
    private volatile String sha;

    /**
     * @throws StoreException if Redis cannot be reached to load the script
     */
    ScriptProtocol(RedissonClient client, String prefix, String description, ReplicaSync sync) {
        this.client = client;
        this.sync = sync;
        this.script = client.getScript(StringCodec.INSTANCE);
        this.bytesScript = client.getScript(new StringCodec(StandardCharsets.ISO_8859_1));
        this.prefix = prefix;
        this.keys = List.of(prefix + ":fence", prefix + ":leases");
        this.description = description;
        this.sha = load();
    }

    /**
     * Runs one command.
     *
     * @throws StoreException if Redis cannot be reached, fails, or answers what the command does not expect
     */
    <A, R> R call(Command<A, R> command, A arguments) {
        List<Object> commandArgs = command.args().apply(arguments);
        Object[] args = new Object[commandArgs.size() + 2];
        args[0] = prefix;
        args[1] = command.name();
        for (int i = 0; i < commandArgs.size(); i++) {
            args[i + 2] = commandArgs.get(i);
        }
        if (sync.enabled() && WRITES.contains(command.name())) {
            return confirmed(command, arguments, args);
        }
        return command.reader().apply(arguments, new Reply(command.name(), evaluate(command, args)));
    }

    /**
     * Runs a write command and {@code WAIT} in one pipeline.
     *
     * @throws ReplicaSync.Unconfirmed if fewer replicas than asked confirmed it in time (the primary made the write)
     */
    private <A, R> R confirmed(Command<A, R> command, A arguments, Object[] args) {
        org.redisson.api.BatchResult<?> result = reloadingOnce(command, () -> batch(command, args));
        Object reply = result.getResponses().get(0);
        R read = command.reader().apply(arguments, new Reply(command.name(), reply instanceof List<?> list ? list
                : List.of(reply)));
        if (result.getSyncedSlaves() < sync.replicas()) {
            throw new ReplicaSync.Unconfirmed("Redis store (" + description + "): '" + command.name() + "' was done"
                    + " on the primary, but " + result.getSyncedSlaves() + " of the " + sync.replicas() + " replica(s)"
                    + " asked for (" + org.conflictguard.ConfigKeys.REDIS_SYNC_REPLICAS + ") confirmed it within "
                    + sync.timeout().toMillis() + " ms; check the replicas (INFO replication)", read,
                    result.getSyncedSlaves());
        }
        return read;
    }

    private org.redisson.api.BatchResult<?> batch(Command<?, ?> command, Object[] args) {
        org.redisson.api.RBatch batch = client.createBatch(org.redisson.api.BatchOptions.defaults()
                .sync(sync.replicas(), sync.timeout()).retryAttempts(0));
        org.redisson.client.codec.Codec codec = command.bytes() ? new StringCodec(StandardCharsets.ISO_8859_1)
                : StringCodec.INSTANCE;
        batch.getScript(codec).evalShaAsync(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        return batch.execute();
    }

    /**
     * How many replicas confirm a write now: the script's own read-only command with a
     * {@code WAIT}, for the check at startup.
     *
     * @throws StoreException if Redis cannot be reached
     */
    int replicasConfirming() {
        try {
            return batch(Commands.COMMANDS, new Object[] {prefix, Commands.COMMANDS.name()}).getSyncedSlaves();
        } catch (RuntimeException e) {
            throw failure("wait", e);
        }
    }

    private List<?> evaluate(Command<?, ?> command, Object[] args) {
        RScript through = command.bytes() ? bytesScript : script;
        return reloadingOnce(command, () -> evalSha(through, args));
    }

    /**
     * Runs a call of the script; when Redis has forgotten the script (a restart, a flush), loads
     * it again and runs the call once more.
     *
     * @throws StoreException naming the command if the call fails otherwise, or again
     */
    private <T> T reloadingOnce(Command<?, ?> command, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("NOSCRIPT")) {
                try {
                    sha = load();
                    return call.get();
                } catch (RuntimeException again) {
                    throw failure(command.name(), again);
                }
            }
            throw failure(command.name(), e);
        }
    }

    private List<?> evalSha(RScript through, Object[] args) {
        Object reply = through.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        return reply instanceof List<?> list ? list : List.of(reply);
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
                + "; check that Redis is reachable. The call took effect whole or not at all; a claim Redis granted"
                + " before the failure lapses with its lease", e);
    }

    private static String loadScript() {
        try (InputStream in = ScriptProtocol.class.getResourceAsStream("conflictguard.lua")) {
            if (in == null) {
                throw new IllegalStateException("conflictguard.lua is missing from the ConflictGuard jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
