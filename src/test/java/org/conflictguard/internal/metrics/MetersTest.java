package org.conflictguard.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.conflictguard.support.Writes.refusal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.persistence.EntityManager;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.conflictguard.Claim;
import org.conflictguard.ClaimMode;
import org.conflictguard.ClaimRequest;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.ConflictGuard;
import org.conflictguard.graph.Milestone;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Task;
import org.conflictguard.store.jpa.JpaClaimStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.Writes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guard's meters on a real Micrometer registry, over a real database store (H2) with write
 * checks on a real Hibernate unit: what each meter counts, how it is tagged, and that nothing in
 * them names an operation, row or user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetersTest {

    private static final Set<String> TAG_KEYS = Set.of("store", "namespace", "label", "result", "mode", "command");

    private TestDatabase db;
    private String namespace;
    private MeterRegistry registry;
    private ConflictGuard guard;

    @BeforeAll
    void startDatabase() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        EntityManager em = db.unit("tracker").createEntityManager();
        em.getTransaction().begin();
        Project project = new Project(1, "apollo");
        Milestone milestone = new Milestone(10, "design", project);
        em.persist(project);
        em.persist(milestone);
        em.persist(new Task(1, "one", milestone));
        em.persist(new Task(2, "two", milestone));
        em.getTransaction().commit();
        em.close();
    }

    @AfterAll
    void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void startGuard() {
        namespace = "meters" + Long.toHexString(System.nanoTime());
        registry = new SimpleMeterRegistry();
        guard = ConflictGuard.builder().store(JpaClaimStore.create(db.emf(), namespace))
                .dependencies(db.unit("tracker")).meterRegistry(registry).build();
    }

    @AfterEach
    void stopGuard() {
        guard.close();
        db.dropClaims(namespace);
    }

    @Test
    void grantsRefusalsReleasesAndTheirSizesAreCountedPerLabelAndMode() {
        try (Claim claim = guard.claim(ClaimRequest.builder().label("archive").user("alice").row("Task", 1)
                .row("Task", 2).build()).orElseThrow()) {
            assertThat(guard.claim(ClaimRequest.builder().label("rename").row("Task", 1).mode(ClaimMode.SHARED)
                    .build()).isClaimed()).isFalse();
            assertThat(count("conflictguard.claims", "label", "archive", "result", "granted", "mode", "exclusive"))
                    .isEqualTo(1);
            assertThat(count("conflictguard.claims", "label", "rename", "result", "refused", "mode", "shared"))
                    .isEqualTo(1);
            assertThat(registry.get("conflictguard.claims.held").tag("store", "database").tag("namespace", namespace)
                    .gauge().value()).isEqualTo(1);
            assertThat(claim.isHeld()).isTrue();
        }
        assertThat(registry.get("conflictguard.claim.rows").tag("label", "archive").summary().totalAmount())
                .isEqualTo(2);
        assertThat(registry.get("conflictguard.claim.marks").tag("label", "archive").summary().count()).isEqualTo(1);
        assertThat(registry.get("conflictguard.claim.held").tag("label", "archive").timer().count()).isEqualTo(1);
        assertThat(registry.get("conflictguard.claims.held").gauge().value()).isZero();
        assertThat(registry.get("conflictguard.store.calls").tag("command", "claim").tag("result", "ok").timer()
                .count()).isGreaterThanOrEqualTo(2);
        assertThat(registry.get("conflictguard.store.calls").tag("command", "release").tag("result", "ok").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void aClaimWithoutLabelIsTaggedNone() {
        guard.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow().release();
        assertThat(count("conflictguard.claims", "label", "none", "result", "granted", "mode", "exclusive")).isEqualTo(1);
    }

    @Test
    void aClaimThatWaitedForHeldRowsRecordsItsWait() throws Exception {
        Claim first = guard.claim(ClaimRequest.builder().label("first").row("Task", 1).build()).orElseThrow();
        CompletableFuture<ClaimResult> waiting = CompletableFuture.supplyAsync(() -> guard.claim(
                ClaimRequest.builder().label("second").row("Task", 1).waitUpTo(Duration.ofSeconds(30)).build()));
        // The waiter's first try was refused by the store: it waits now.
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("conflictguard.store.calls")
                .tag("command", "claim").tag("result", "ok").timer().count() >= 2);
        first.release();
        try (Claim second = waiting.get(30, TimeUnit.SECONDS).orElseThrow()) {
            assertThat(second.isHeld()).isTrue();
        }
        assertThat(registry.get("conflictguard.claim.wait").tag("label", "second").tag("result", "granted").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get("conflictguard.claim.wait").tag("label", "first").tag("result", "granted").timer()
                .count()).isZero();
        assertThat(registry.get("conflictguard.claim.wait").tag("label", "second").tag("result", "granted").timer().totalTime(
                TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void aClaimWhoseLeaseLapsedIsCountedLost() {
        Claim claim = guard.claim(ClaimRequest.builder().label("short").row("Task", 1)
                .fixedLease(Duration.ofMillis(50)).build()).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> guard.inspect(List.of(org.conflictguard.Row.of("Task", 1)))
                .isEmpty());
        guard.claim(ClaimRequest.builder().label("next").row("Task", 1).build()).orElseThrow().release();
        assertThat(claim.release().lost()).isEqualTo(1);
        assertThat(registry.get("conflictguard.claims.lost").tag("label", "short").counter().count()).isEqualTo(1);
    }

    @Test
    void writeChecksAreCountedPassedAndRefused() {
        Writes.inTransaction(db.unit("tracker"), em -> em.find(Task.class, 2L).title = "free");
        try (Claim claim = guard.claim(ClaimRequest.builder().label("archive").row("Task", 1).build()).orElseThrow()) {
            refusal(() -> Writes.inTransaction(db.unit("tracker"), em -> em.find(Task.class, 1L).title = "x"));
            assertThat(claim.isHeld()).isTrue();
        }
        assertThat(count("conflictguard.write.checks", "result", "refused")).isEqualTo(1);
        assertThat(count("conflictguard.write.checks", "result", "passed")).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("conflictguard.view.local").gauge().value()).isEqualTo(1);
    }

    @Test
    void labelsPastTheBoundAreTaggedOtherAndNoMeterNamesAnOperationRowOrUser() {
        for (int i = 0; i < MicrometerMeters.MAX_LABELS + 20; i++) {
            guard.claim(ClaimRequest.builder().operationId("op-" + i).label("label-" + i).user("user-" + i)
                    .row("Task", 1).build()).orElseThrow().release();
        }
        Set<String> labels = new HashSet<>();
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getName()).startsWith("conflictguard.");
            for (Tag tag : meter.getId().getTags()) {
                assertThat(TAG_KEYS).as("tag of %s", meter.getId()).contains(tag.getKey());
                assertThat(tag.getValue()).doesNotStartWith("op-").doesNotStartWith("user-");
                if (tag.getKey().equals("label")) {
                    labels.add(tag.getValue());
                }
            }
        }
        assertThat(labels).hasSize(MicrometerMeters.MAX_LABELS + 1).contains(MicrometerMeters.OTHER_LABELS);
        assertThat(count("conflictguard.claims", "label", MicrometerMeters.OTHER_LABELS, "result", "granted", "mode",
                "exclusive")).isEqualTo(20);
    }

    @Test
    void theHeldGaugeStillReadsAfterGarbageCollection() {
        try (Claim claim = guard.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow()) {
            // Collect until an object only weakly held is gone: a gauge whose object Micrometer held
            // weakly would read NaN from here on.
            WeakReference<Object> marker = new WeakReference<>(new Object());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                System.gc();
                return marker.get() == null;
            });
            assertThat(registry.get("conflictguard.claims.held").gauge().value()).isEqualTo(1);
            assertThat(claim.isHeld()).isTrue();
        }
        assertThat(registry.get("conflictguard.claims.held").gauge().value()).isZero();
    }

    @Test
    void closingTheGuardRemovesItsGauges() {
        assertThat(registry.find("conflictguard.claims.held").gauge()).isNotNull();
        guard.close();
        assertThat(registry.find("conflictguard.claims.held").gauge()).isNull();
        assertThat(registry.find("conflictguard.view.local").gauge()).isNull();
    }

    @Test
    void metricsCanBeTurnedOffAndARegistryWithThemOffIsRefused() {
        MeterRegistry off = new SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(off);
        try (ConflictGuard quiet = ConflictGuard.builder().store(JpaClaimStore.create(db.emf(), namespace + "q"))
                .setting(ConfigKeys.METRICS_ENABLED, "false").build()) {
            quiet.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow().release();
            assertThat(off.find("conflictguard.claims").tag("namespace", namespace + "q").counter()).isNull();
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(off);
        }
        assertThatThrownBy(() -> ConflictGuard.builder().store(JpaClaimStore.create(db.emf(), namespace + "x"))
                .meterRegistry(new SimpleMeterRegistry()).setting(ConfigKeys.METRICS_ENABLED, "false").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(ConfigKeys.METRICS_ENABLED);
        assertThatThrownBy(() -> ConflictGuard.builder().setting(ConfigKeys.METRICS_ENABLED, "maybe"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(ConfigKeys.METRICS_ENABLED);
    }

    @Test
    void withoutARegistryGivenTheGlobalRegistryGetsTheMeters() {
        MeterRegistry global = new SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(global);
        try (ConflictGuard viaGlobal = ConflictGuard.builder().store(JpaClaimStore.create(db.emf(), namespace + "g"))
                .build()) {
            viaGlobal.claim(ClaimRequest.builder().row("Task", 1).build()).orElseThrow().release();
            assertThat(global.get("conflictguard.claims").tag("namespace", namespace + "g").tag("result", "granted")
                    .tag("mode", "exclusive").counter().count()).isEqualTo(1);
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(global);
            db.dropClaims(namespace + "g");
        }
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }
}
