package org.conflictguard;

/**
 * The claim store could not be reached or failed while answering. Whatever the call was, it
 * had no partial effect: a claim that fails this way holds no row.
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
