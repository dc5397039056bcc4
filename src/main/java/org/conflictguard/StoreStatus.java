package org.conflictguard;

import java.time.Duration;
import java.util.Objects;

/**
 * How the claim store answered a readiness probe ({@link ConflictGuard#checkStore()}): whether it
 * was reachable, how long one round trip took, the lease claims get, and how many claims it
 * keeps. Names no operation, row or user. Immutable and thread-safe.
 *
 * @param reachable whether the store answered
 * @param store the store and its settings, as {@link ConflictGuard#description()} gives them
 * @param roundTrip how long one round trip to the store took; {@link Duration#ZERO} when it did not answer
 * @param lease the default lease of claims
 * @param claims how many claims the store keeps (live, or lapsed and not swept yet), or -1 when
 *     the store cannot count them or did not answer
 * @param problem why the store did not answer (the kind of failure, never its data), or {@code null}
 */
public record StoreStatus(boolean reachable, String store, Duration roundTrip, Duration lease, long claims,
        String problem) {

    /** @throws NullPointerException if the store, round trip or lease is null */
    public StoreStatus {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(roundTrip, "roundTrip");
        Objects.requireNonNull(lease, "lease");
    }
}
