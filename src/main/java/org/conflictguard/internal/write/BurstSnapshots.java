package org.conflictguard.internal.write;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;

/**
 * One thread's write checks, per entity type. The first check of a type is a plain
 * {@code inspect} of the rows; a second one within {@link #BURST_NANOS} (a flush of many
 * entities) takes a snapshot of the type's claimed ids, which then answers the thread's checks
 * of that type for {@link #BURST_NANOS}: rows found in it are inspected, others pass. A claim
 * granted in this JVM voids every snapshot; claims granted elsewhere are seen at the next
 * snapshot, at most {@link #BURST_NANOS} later. Not API. Each instance belongs to one thread.
 */
public final class BurstSnapshots {

    /** How long a thread's snapshot of an entity type's claimed ids answers its write checks. */
    static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Snapshots of more claimed ids than this are not taken: such types are checked row by row. */
    static final int BURST_LIMIT = 5_000;
    /** Moves on every claim granted in this JVM, which makes every thread's snapshots stale at once. */
    private static final AtomicLong CLAIMS_GRANTED = new AtomicLong();
    /**
     * Per thread, not per guard: a thread's state must not keep a closed guard (its store, its
     * client) reachable. Snapshots are keyed by store, so two guards never share one.
     */
    private static final ThreadLocal<BurstSnapshots> OF_THREAD = ThreadLocal.withInitial(BurstSnapshots::new);

    private final Map<String, long[]> firstCheck = new HashMap<>();
    private final Map<String, Snapshot> snapshots = new HashMap<>();
    /** The store the maps are about (held weakly); another store starts them afresh. */
    private WeakReference<ClaimStore> about = new WeakReference<>(null);

    private record Snapshot(long taken, long granted, Set<String> ids) {
    }

    private BurstSnapshots() {
    }

    /** Tells every thread's snapshots that a claim was granted in this JVM. */
    public static void claimGranted() {
        CLAIMS_GRANTED.incrementAndGet();
    }

    /** The rows among {@code rows} that may be claimed and must be inspected. */
    static List<Row> suspects(ClaimStore store, List<Row> rows) {
        return OF_THREAD.get().filter(store, rows);
    }

    private List<Row> filter(ClaimStore store, List<Row> rows) {
        if (about.get() != store) {
            firstCheck.clear();
            snapshots.clear();
            about = new WeakReference<>(store);
        }
        List<Row> suspects = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Set<String> claimed = claimedIds(store, row.entity());
            if (claimed == null || claimed.contains(row.id())) {
                suspects.add(row);
            }
        }
        return suspects;
    }

    /** The type's claimed ids from a fresh snapshot, or null to inspect the row. */
    private Set<String> claimedIds(ClaimStore store, String entity) {
        long now = System.nanoTime();
        long granted = CLAIMS_GRANTED.get();
        Snapshot snapshot = snapshots.get(entity);
        if (snapshot != null && now - snapshot.taken < BURST_NANOS && snapshot.granted == granted) {
            return snapshot.ids;
        }
        long[] first = firstCheck.get(entity);
        if (first == null || now - first[0] >= BURST_NANOS || first[1] != granted) {
            firstCheck.put(entity, new long[] {now, granted});
            return null;
        }
        Set<String> ids = store.claimedIds(entity, BURST_LIMIT).orElse(null);
        snapshots.put(entity, new Snapshot(now, granted, ids));
        return ids;
    }
}
