package org.conflictguard.store.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Notifications a store call asks to send once its transaction has committed: collected per
 * thread while the transaction runs, handed to the sink after the commit, dropped on rollback
 * (a retried attempt starts empty). Thread-safe: each thread has its own list.
 */
final class CommitNotices {

    private final ThreadLocal<List<String>> pending = ThreadLocal.withInitial(ArrayList::new);
    private final Consumer<List<String>> sink;

    /** @param sink receives the payloads of each committed transaction that had any, in order */
    CommitNotices(Consumer<List<String>> sink) {
        this.sink = sink;
    }

    /** Notices that send nothing (stores whose database cannot push). */
    static CommitNotices none() {
        return new CommitNotices(payloads -> {
            throw new IllegalStateException("this store sends no notifications, but was asked to send " + payloads);
        });
    }

    /** Sends the payload after the running transaction commits. */
    void add(String payload) {
        pending.get().add(payload);
    }

    /** A transaction (or a retry of one) begins on this thread. */
    void begin() {
        pending.get().clear();
    }

    /** The thread's transaction committed: its payloads go to the sink. */
    void committed() {
        List<String> payloads = pending.get();
        if (!payloads.isEmpty()) {
            List<String> sent = List.copyOf(payloads);
            payloads.clear();
            try {
                sink.accept(sent);
            } catch (RuntimeException e) {
                // The transaction is committed whatever happens here; watchers catch up by comparing.
                System.getLogger(JpaClaimStore.class.getName()).log(System.Logger.Level.WARNING,
                        "Notifications " + sent + " could not be sent after the commit: " + e);
            }
        }
    }

    /** The thread's transaction rolled back: its payloads are dropped. */
    void rolledBack() {
        pending.get().clear();
    }
}
