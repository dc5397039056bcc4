package org.conflictguard;

/**
 * A claim was asked for an operation id that already holds a live claim: an operation holds
 * one claim at a time. Nothing was claimed. Release the first claim before claiming again, or
 * give the new work its own operation id (the default is a fresh UUID per request).
 *
 * <p>Immutable and thread-safe.
 */
public class OperationInUseException extends ConflictGuardException {

    private final String operationId;

    /** @param operationId the operation that already holds a live claim */
    public OperationInUseException(String operationId) {
        super("Operation '" + operationId + "' already holds a live claim; release it before claiming again, or use"
                + " a new operation id. Nothing was claimed");
        this.operationId = operationId;
    }

    /** The operation that already holds a live claim. */
    public String operationId() {
        return operationId;
    }
}
