package org.conflictguard;

/**
 * The claim store could not be reached, or failed while answering. A call that fails this way
 * took effect whole or not at all, never in part: if the store acted before the failure reached
 * the caller (an answer that timed out, a connection lost after the commit), a claim it granted
 * has no handle and lapses with its lease, and a release may simply be called again.
 *
 * <p>Immutable and thread-safe.
 */
public class StoreException extends ConflictGuardException {

    /**
     * @param message which store, what call, and what to check
     * @param cause the driver's or client's exception
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
