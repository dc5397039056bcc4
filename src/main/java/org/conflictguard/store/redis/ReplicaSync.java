package org.conflictguard.store.redis;

import java.time.Duration;
import org.conflictguard.StoreException;

/**
 * How many replicas must confirm a write command (a claim, renewal, release, forced release or
 * sweep) before Redis's answer counts, and how long to wait for them: the script call and a
 * {@code WAIT} go in one pipeline on one connection. Immutable and thread-safe.
 *
 * @param replicas how many replicas must confirm; 0 for none (no {@code WAIT})
 * @param timeout how long {@code WAIT} waits for them
 */
record ReplicaSync(int replicas, Duration timeout) {

    /** The most replicas a setting may ask for. */
    static final int MAX_REPLICAS = 10;
    /** The longest wait a setting may ask for. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    /** No confirmation asked. */
    static final ReplicaSync NONE = new ReplicaSync(0, Duration.ofSeconds(1));

    /** @throws IllegalArgumentException naming the parameter if a value is out of range */
    ReplicaSync {
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be from 0 to " + MAX_REPLICAS + ", not " + replicas);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be from 1ms to 60s, not " + timeout);
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1ms, not " + timeout);
        }
    }

    boolean enabled() {
        return replicas > 0;
    }

    /** A write the primary made that fewer replicas than asked confirmed in time; carries the reply as read. */
    static final class Unconfirmed extends StoreException {
        private static final long serialVersionUID = 1L;
        private final transient Object reply;
        private final int confirmed;

        Unconfirmed(String message, Object reply, int confirmed) {
            super(message, null);
            this.reply = reply;
            this.confirmed = confirmed;
        }

        /** What the command answered on the primary. */
        Object reply() {
            return reply;
        }

        /** How many replicas confirmed it. */
        int confirmed() {
            return confirmed;
        }
    }
}
