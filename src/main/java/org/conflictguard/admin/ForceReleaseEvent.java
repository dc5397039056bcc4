package org.conflictguard.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator force-released an operation's claims through the admin resource: fired as a CDI
 * event (observe {@code ForceReleaseEvent}) after the release, and logged.
 *
 * <p>Immutable and thread-safe.
 *
 * @param operationId the operation whose claims were removed
 * @param by the name of the caller's principal, as the container knows it
 * @param rows the rows removed
 * @param at when it happened, by this JVM's clock
 */
public record ForceReleaseEvent(String operationId, String by, int rows, Instant at) {

    /** @throws NullPointerException if any argument is null */
    public ForceReleaseEvent {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
