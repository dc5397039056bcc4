package org.conflictguard.store.redis;

import java.time.Duration;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;

/**
 * Wakes claims that wait for rows: a listener on the {@code {namespace}:changes} channel the
 * script publishes to, counting the ends of claims, added when first used and removed on
 * {@link #close()}.
 * Thread-safe.
 */
final class ReleaseSignal implements AutoCloseable {

    private final RTopic topic;
    private final Object lock = new Object();
    private long releases;
    private int listenerId = -1;
    private boolean closed;

    ReleaseSignal(RedissonClient client, String prefix) {
        this.topic = ChangeFeed.changes(client, prefix);
    }

    /** How many releases were published since the first call; subscribes on the first call. */
    long count() {
        subscribe();
        synchronized (lock) {
            return releases;
        }
    }

    /** Returns when the count differs from {@code seen}, after at most {@code min(timeout, 250 ms)}. */
    void await(long seen, Duration timeout) throws InterruptedException {
        subscribe();
        long millis = Math.min(250, timeout.toMillis());
        synchronized (lock) {
            long until = System.nanoTime() + millis * 1_000_000L;
            while (releases == seen && until - System.nanoTime() > 0) {
                lock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
            }
        }
    }

    private void subscribe() {
        synchronized (lock) {
            if (listenerId < 0 && !closed) {
                listenerId = topic.addListener(byte[].class, (channel, message) -> {
                    if (message.length > 0 && message[0] == 'E') {
                        synchronized (lock) {
                            releases++;
                            lock.notifyAll();
                        }
                    }
                });
            }
        }
    }

    /**
     * Removes the listener, if one was added, without waiting for Redis to confirm (Redisson can
     * take seconds to unsubscribe). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (listenerId >= 0) {
                topic.removeListenerAsync(listenerId);
                listenerId = -1;
            }
            lock.notifyAll();
        }
    }
}
