package org.conflictguard.store.redis;

import java.time.Duration;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Wakes claims that wait for rows: a listener on the {@code {namespace}:released} channel the
 * script publishes to on every release, added on the first wait and removed on {@link #close()}.
 * Thread-safe.
 */
final class ReleaseSignal implements AutoCloseable {

    private final RTopic topic;
    private final Object lock = new Object();
    private long releases;
    private int listenerId = -1;
    private boolean closed;

    ReleaseSignal(RedissonClient client, String prefix) {
        this.topic = client.getTopic(prefix + ":released", StringCodec.INSTANCE);
    }

    /** Returns when a release was published, after at most {@code min(timeout, 250 ms)}. */
    void await(Duration timeout) throws InterruptedException {
        subscribe();
        long millis = Math.min(250, timeout.toMillis());
        synchronized (lock) {
            long seen = releases;
            long until = System.nanoTime() + millis * 1_000_000L;
            while (releases == seen && until - System.nanoTime() > 0) {
                lock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
            }
        }
    }

    private void subscribe() {
        synchronized (lock) {
            if (listenerId < 0 && !closed) {
                listenerId = topic.addListener(String.class, (channel, token) -> {
                    synchronized (lock) {
                        releases++;
                        lock.notifyAll();
                    }
                });
            }
        }
    }

    /** Removes the listener, if one was added. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (listenerId >= 0) {
                topic.removeListener(listenerId);
                listenerId = -1;
            }
            lock.notifyAll();
        }
    }
}
