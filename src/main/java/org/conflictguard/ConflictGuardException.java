package org.conflictguard;

/**
 * Base of the exceptions ConflictGuard throws for conditions other than bad input.
 *
 * <p>Immutable and thread-safe.
 */
public class ConflictGuardException extends RuntimeException {

    /** @param message what went wrong and what to do */
    public ConflictGuardException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public ConflictGuardException(String message, Throwable cause) {
        super(message, cause);
    }
}
