package org.conflictguard.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.conflictguard.ClaimRefusedException;
import org.conflictguard.ClaimEvent;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.graph.Milestone;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Task;
import org.conflictguard.store.redis.RedisClaimStore;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.TestRedis;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The interceptor deployed as a bean archive into Arquillian's Weld embedded container, claims in Redis. */
@ExtendWith(ArquillianExtension.class)
class ArquillianGuardedTest {

    private static TestDatabase db;

    @Inject
    TrackerService service;
    @Inject
    ConflictGuard guard;

    @Deployment
    static JavaArchive deployment() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        TestBeans.tracker = db.unit("tracker");
        TestBeans.store = RedisClaimStore.create(TestRedis.client(), "arq" + Long.toHexString(System.nanoTime()));
        EntityManager em = TestBeans.tracker.createEntityManager();
        em.getTransaction().begin();
        Project project = new Project(7, "mercury");
        Milestone milestone = new Milestone(70, "launch", project);
        em.persist(project);
        em.persist(milestone);
        em.persist(new Task(700, "countdown", milestone));
        em.getTransaction().commit();
        em.close();
        return ShrinkWrap.create(JavaArchive.class)
                .addClasses(ConflictGuardProducer.class, GuardedInvocations.class, GuardedInterceptor.class,
                        TrackerService.class, TestBeans.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void theInterceptorClaimsUntilTheStageCompletesAndRefusesOthersMeanwhile() throws Exception {
        TestBeans.EVENTS.clear();
        CompletableFuture<String> finish = new CompletableFuture<>();
        CompletionStage<String> running = service.archiveLater(7L, finish);

        assertThat(guard.inspect(List.of(Row.of("Project", 7), Row.of("Milestone", 70), Row.of("Task", 700))))
                .hasSize(3);
        assertThatThrownBy(() -> service.failHalfway(7L)).isInstanceOf(ClaimRefusedException.class)
                .hasMessageContaining("'async-archive'");

        finish.complete("done");
        assertThat(running.toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(guard.inspect(List.of(Row.of("Project", 7), Row.of("Task", 700)))).isEmpty();
        assertThat(TestBeans.EVENTS).extracting(ClaimEvent::kind).containsSubsequence(ClaimEvent.Kind.CLAIMED,
                ClaimEvent.Kind.CONFLICT, ClaimEvent.Kind.RELEASED);
    }
}
