package org.conflictguard.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.conflictguard.ClaimMode;
import org.conflictguard.spi.ClaimStore;

/**
 * The guard's meters on a Micrometer registry, tagged by store and namespace, and by label where
 * a claim has one. Labels are few by design; past {@value #MAX_LABELS} distinct labels, further
 * ones are tagged {@code other} (and a WARNING says so once), so a label built from ids cannot
 * flood the registry. Nothing is tagged by operation id, row id or user. Thread-safe.
 */
final class MicrometerMeters implements Meters {

    private static final System.Logger LOG = System.getLogger("org.conflictguard");
    /** The most distinct label tags one guard registers. */
    static final int MAX_LABELS = 100;
    static final String NO_LABEL = "none";
    static final String OTHER_LABELS = "other";

    private final MeterRegistry registry;
    private final Tags common;
    private final Map<String, LabelMeters> byLabel = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedLabels = new AtomicBoolean();
    private final Counter writesPassed;
    private final Counter writesRefused;
    private final AtomicInteger viewLocal = new AtomicInteger(1);
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();

    MicrometerMeters(Object registry, String store, String namespace) {
        this.registry = (MeterRegistry) registry;
        this.common = Tags.of("store", store, "namespace", namespace);
        this.writesPassed = Counter.builder("conflictguard.write.checks").description(
                "Writes to checked entities, by whether they were refused").tags(common).tag("result", "passed")
                .register(this.registry);
        this.writesRefused = Counter.builder("conflictguard.write.checks").description(
                "Writes to checked entities, by whether they were refused").tags(common).tag("result", "refused")
                .register(this.registry);
        gauges.add(Gauge.builder("conflictguard.view.local", viewLocal, AtomicInteger::get).description(
                "1 while write checks answer from this node's view of the claims, 0 while they ask the store")
                .tags(common).register(this.registry));
    }

    static boolean isRegistry(Object registry) {
        return registry instanceof MeterRegistry;
    }

    static Object global() {
        return Metrics.globalRegistry;
    }

    @Override
    public void granted(String label, ClaimMode mode, int rows, int marks) {
        LabelMeters meters = meters(label);
        (mode == ClaimMode.SHARED ? meters.grantedShared : meters.grantedExclusive).increment();
        meters.rows.record(rows);
        meters.marks.record(marks);
    }

    @Override
    public void refused(String label, ClaimMode mode) {
        LabelMeters meters = meters(label);
        (mode == ClaimMode.SHARED ? meters.refusedShared : meters.refusedExclusive).increment();
    }

    @Override
    public void waited(String label, long nanos, boolean granted) {
        LabelMeters meters = meters(label);
        (granted ? meters.waitGranted : meters.waitRefused).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void released(String label, long heldNanos) {
        meters(label).held.record(heldNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void lost(String label) {
        meters(label).lost.increment();
    }

    @Override
    public void writeChecked(boolean refused) {
        (refused ? writesRefused : writesPassed).increment();
    }

    @Override
    public void viewLocal(boolean local) {
        viewLocal.set(local ? 1 : 0);
    }

    @Override
    public void claimsHeld(IntSupplier held) {
        // Micrometer holds a gauge's object weakly; the supplier is the guard's only handle on its
        // lease count, so without a strong reference the gauge reads NaN after the next collection.
        // close() removes the gauge, which lets the supplier go with the guard.
        gauges.add(Gauge.builder("conflictguard.claims.held", held, IntSupplier::getAsInt).strongReference(true)
                .description("Claims this node holds now").tags(common).register(registry));
    }

    @Override
    public ClaimStore observe(ClaimStore store) {
        return new MeteredStore(store, registry, common);
    }

    @Override
    public void close() {
        for (Meter gauge : gauges) {
            registry.remove(gauge);
        }
        gauges.clear();
    }

    private LabelMeters meters(String label) {
        String tag = label == null ? NO_LABEL : label;
        LabelMeters found = byLabel.get(tag);
        if (found != null) {
            return found;
        }
        if (byLabel.size() >= MAX_LABELS) {
            if (warnedLabels.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Claims carry more than " + MAX_LABELS + " distinct labels; the"
                        + " meters tag further labels as '" + OTHER_LABELS + "'. A label names a kind of operation"
                        + " (bulk-archive, nightly-export); put ids in the operation id instead");
            }
            tag = OTHER_LABELS;
        }
        return byLabel.computeIfAbsent(tag, LabelMeters::new);
    }

    /** The meters of one label. */
    private final class LabelMeters {
        final Counter grantedExclusive;
        final Counter grantedShared;
        final Counter refusedExclusive;
        final Counter refusedShared;
        final DistributionSummary rows;
        final DistributionSummary marks;
        final Timer waitGranted;
        final Timer waitRefused;
        final Timer held;
        final Counter lost;

        LabelMeters(String label) {
            Tags tags = common.and("label", label);
            grantedExclusive = claims(tags, "granted", ClaimMode.EXCLUSIVE);
            grantedShared = claims(tags, "granted", ClaimMode.SHARED);
            refusedExclusive = claims(tags, "refused", ClaimMode.EXCLUSIVE);
            refusedShared = claims(tags, "refused", ClaimMode.SHARED);
            rows = DistributionSummary.builder("conflictguard.claim.rows").description("Rows per granted claim")
                    .baseUnit("rows").tags(tags).register(registry);
            marks = DistributionSummary.builder("conflictguard.claim.marks").description(
                    "Marks per granted claim: one per row, or one per subtree a tree claim marks whole")
                    .baseUnit("marks").tags(tags).register(registry);
            waitGranted = wait(tags, "granted");
            waitRefused = wait(tags, "refused");
            held = Timer.builder("conflictguard.claim.held").description(
                    "How long claims were held, from grant to release; its count is the number of releases")
                    .tags(tags).register(registry);
            lost = Counter.builder("conflictguard.claims.lost").description(
                    "Claims lost: their lease lapsed before renewal, or they were force-released").tags(tags)
                    .register(registry);
        }

        private Counter claims(Tags tags, String result, ClaimMode mode) {
            return Counter.builder("conflictguard.claims").description("Claims granted and refused").tags(tags)
                    .tag("result", result).tag("mode", mode.name().toLowerCase(Locale.ROOT)).register(registry);
        }

        private Timer wait(Tags tags, String outcome) {
            return Timer.builder("conflictguard.claim.wait").description(
                    "How long claims that waited for held rows waited, by how the wait ended").tags(tags)
                    .tag("result", outcome).register(registry);
        }
    }
}
