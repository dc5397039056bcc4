package org.conflictguard.store.jpa;

import org.conflictguard.spi.ClaimOutcome;

/** How one try at a claim ended, inside its transaction. */
sealed interface ClaimAttempt {

    /** Whether the transaction commits. */
    default boolean commits() {
        return this instanceof Decided decided && decided.outcome().isGranted();
    }

    /** Granted or refused: the answer. */
    record Decided(ClaimOutcome outcome) implements ClaimAttempt {
    }

    /** The operation already holds a live claim. */
    record Busy() implements ClaimAttempt {
    }

    /** A concurrent claim committed some of the rows between the check and the insert. */
    record RaceLost(Throwable cause) implements ClaimAttempt {
    }
}
