package org.conflictguard.graph.dag;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import org.conflictguard.Claim;
import org.conflictguard.ClaimResult;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Mark;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;
import org.conflictguard.Scope;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.TestRedis;
import org.conflictguard.support.Writes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rows with two parents: Job 100 belongs to Area 1 and Crew 2 (and has Step 1000). A subtree of
 * either parent covers the job, so two subtree claims over different roots can overlap there; the
 * guard marks such rows inside a subtree so that the claims meet at them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoParentsTest {

    private TestDatabase db;
    private EntityManagerFactory dag;
    private ConflictGuard guard;
    private String namespace;

    @BeforeAll
    void createGraph() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        dag = db.unit("dag");
        Writes.inTransaction(dag, em -> {
            Area area = new Area(1);
            Crew crew = new Crew(2);
            Crew otherCrew = new Crew(3);
            em.persist(area);
            em.persist(crew);
            em.persist(otherCrew);
            Job shared = new Job(100, area, crew);
            em.persist(shared);
            em.persist(new Job(101, area, otherCrew));
            em.persist(new Step(1000, shared));
        });
    }

    @BeforeEach
    void startGuard() {
        namespace = "dag" + Long.toHexString(System.nanoTime());
        guard = ConflictGuard.builder().store(RedisClaimStore.create(TestRedis.client(), namespace)).dependencies(dag)
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
    }

    @AfterEach
    void stopGuard() {
        guard.close();
        TestRedis.client().getKeys().deleteByPattern("{" + namespace + "}:*");
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @Test
    void subtreesOverTwoParentsMeetAtTheRowTheyShare() {
        try (Claim area = guard.claim(List.of(Row.of("Area", 1))).orElseThrow()) {
            assertThat(area.marks()).as("the area's subtree, and its jobs with two parents marked on their own")
                    .containsExactly(new Mark(Row.of("Area", 1), Scope.SUBTREE), new Mark(Row.of("Job", 100),
                            Scope.SUBTREE), new Mark(Row.of("Job", 101), Scope.SUBTREE));
            ClaimResult crew = guard.claim(List.of(Row.of("Crew", 2)));
            assertThat(crew.conflicts()).as("exactly the rows both subtrees cover").extracting(RowClaim::row)
                    .containsExactly(Row.of("Job", 100), Row.of("Step", 1000));
            assertThat(guard.claim(List.of(Row.of("Crew", 3))).conflicts()).extracting(RowClaim::row)
                    .containsExactly(Row.of("Job", 101));
        }
        try (Claim crew = guard.claim(List.of(Row.of("Crew", 2))).orElseThrow()) {
            assertThat(guard.claim(List.of(Row.of("Area", 1))).isClaimed()).isFalse();
            try (Claim otherCrew = guard.claim(List.of(Row.of("Crew", 3))).orElseThrow()) {
                assertThat(otherCrew.isHeld()).as("crews share no job").isTrue();
            }
        }
    }

    @Test
    void aRowBelowTwoParentsIsCoveredByEitherAndWritesToItAreRefused() {
        try (Claim step = guard.claim(List.of(Row.of("Step", 1000))).orElseThrow()) {
            assertThat(guard.claim(List.of(Row.of("Area", 1))).isClaimed()).as("intention on one parent").isFalse();
            assertThat(guard.claim(List.of(Row.of("Crew", 2))).isClaimed()).as("and on the other").isFalse();
        }
        try (Claim crew = guard.claim(List.of(Row.of("Crew", 2))).orElseThrow()) {
            RowClaim covered = guard.inspect(List.of(Row.of("Step", 1000))).get(Row.of("Step", 1000));
            assertThat(covered.within()).isEqualTo(Row.of("Job", 100));
            WriteRefusedException refused = Writes.refusal(() -> Writes.inTransaction(dag,
                    em -> em.find(Step.class, 1000L).title = "x"));
            assertThat(refused.holder().operationId()).isEqualTo(crew.operationId());
        }
    }
}
