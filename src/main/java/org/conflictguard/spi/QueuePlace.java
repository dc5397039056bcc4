package org.conflictguard.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * A claim's place in its store's queue of waiting claims, asked for with
 * {@link ClaimStore#claim(ClaimSpec, QueuePlace)}: a claim that will wait takes a ticket when it is
 * first refused and hands it back on every later try, so that claims waiting for overlapping rows
 * are granted in the order they first asked.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ticket the ticket a previous refusal handed out, or 0 to take one if refused
 * @param keep how long the store keeps the place if the claim does not try again (a waiter that
 *     stops asking, because its process died, leaves the queue after this); positive
 */
public record QueuePlace(long ticket, Duration keep) {

    /**
     * @throws IllegalArgumentException if {@code ticket} is negative or {@code keep} not positive
     */
    public QueuePlace {
        Objects.requireNonNull(keep, "keep");
        if (ticket < 0) {
            throw new IllegalArgumentException("ticket must be 0 or positive: " + ticket);
        }
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("keep must be positive: " + keep);
        }
    }
}
