package org.conflictguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.graph.Milestone;
import org.conflictguard.graph.Project;
import org.conflictguard.graph.Task;
import org.conflictguard.spi.ClaimStore;
import org.conflictguard.support.Switches;
import org.conflictguard.support.TestDatabase;
import org.conflictguard.support.Writes;

/**
 * Two nodes over one claim store: a writer node (the application's graph on an H2 database of
 * tasks 1..n, its entity listener, and a listener of its write-check switches) and a claimer node
 * (no graph, no listener), each with a store of its own in one namespace; and writer threads
 * that update random tasks in small transactions, each write recorded with when it began and
 * ended and whether it committed.
 */
final class TwoNodes implements AutoCloseable {

    /** One write as the writer saw it: when it began and ended (nanoTime), and whether it committed. */
    record Write(long task, long began, long ended, boolean committed) {
    }

    final Switches switches = new Switches();
    final ConflictGuard writerNode;
    final ConflictGuard claimerNode;
    private final TestDatabase entities;
    private final EntityManagerFactory tracker;
    private final int tasks;
    private final Runnable closeStores;
    private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private ExecutorService writers;

    /**
     * Starts both nodes and waits until the writer node's checks answer from its view.
     *
     * @param newStore a store in the namespace, one per node
     * @param closeStores stops what {@code newStore} started; run after both nodes closed
     */
    TwoNodes(int tasks, Function<String, ClaimStore> newStore, Runnable closeStores) {
        this.tasks = tasks;
        this.closeStores = closeStores;
        String namespace = "two" + Long.toHexString(System.nanoTime());
        entities = TestDatabase.create(TestDatabase.Kind.H2);
        tracker = entities.unit("tracker");
        Writes.inTransaction(tracker, em -> {
            Project project = new Project(1, "p");
            Milestone milestone = new Milestone(10, "m", project);
            em.persist(project);
            em.persist(milestone);
            for (long t = 1; t <= tasks; t++) {
                em.persist(new Task(t, "t", milestone));
            }
        });
        writerNode = ConflictGuard.builder().store(newStore.apply(namespace)).dependencies(tracker)
                .listener(switches).setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
        claimerNode = ConflictGuard.builder().store(newStore.apply(namespace))
                .setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
        switches.awaitLocal(Duration.ofSeconds(20));
    }

    /**
     * Starts {@code threads} writers; returns once each is running.
     *
     * @param onRefused told the task of each write that did not commit (on the writer's thread)
     */
    void startWriters(int threads, LongConsumer onRefused) throws InterruptedException {
        writers = Executors.newFixedThreadPool(threads);
        CountDownLatch writing = new CountDownLatch(threads);
        for (int w = 0; w < threads; w++) {
            writers.execute(() -> {
                writing.countDown();
                while (!stop.get()) {
                    long task = 1 + ThreadLocalRandom.current().nextInt(tasks);
                    long began = System.nanoTime();
                    boolean committed;
                    try {
                        Writes.inTransaction(tracker, em -> em.find(Task.class, task).title = "w" + began);
                        committed = true;
                    } catch (RuntimeException e) {
                        committed = false;
                        onRefused.accept(task);
                    }
                    writes.add(new Write(task, began, System.nanoTime(), committed));
                }
            });
        }
        writing.await();
    }

    /** Stops the writers and returns every write they made. */
    List<Write> stopWriters() throws InterruptedException {
        stop.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).as("writers stopped").isTrue();
        return List.copyOf(writes);
    }

    /** The writes recorded so far. */
    Iterable<Write> writes() {
        return writes;
    }

    @Override
    public void close() {
        stop.set(true);
        if (writers != null) {
            writers.shutdownNow();
        }
        try {
            writerNode.close();
            claimerNode.close();
        } finally {
            closeStores.run();
            entities.close();
        }
    }
}
