package org.conflictguard.internal;

import java.time.Duration;
import java.util.Collection;
import org.conflictguard.ClaimRequest;
import org.conflictguard.InvalidClaimException;
import org.conflictguard.Row;

/** The checks every entry of the facade makes on its arguments before touching a store. */
final class Arguments {

    private Arguments() {
    }

    static ClaimRequest checkRequest(ClaimRequest request) {
        if (request == null) {
            throw new InvalidClaimException(null, null, "request is null; build one with ClaimRequest.builder()");
        }
        return request;
    }

    static String checkOperationId(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            throw new InvalidClaimException(null, null, "operationId is " + (operationId == null ? "null" : "blank")
                    + "; pass the id of the operation to look up");
        }
        return operationId;
    }

    static void checkRows(Collection<Row> rows) {
        if (rows == null) {
            throw new InvalidClaimException(null, null, "rows is null; pass an empty collection to ask about nothing");
        }
        for (Row row : rows) {
            if (row == null) {
                throw new InvalidClaimException(null, null, "rows contains null; every element must be a Row");
            }
        }
    }

    /** A lease length given to a claim: 1 ms to 30 days. */
    static Duration checkLength(Duration length, String what) {
        if (length == null) {
            throw new InvalidClaimException(null, null, what + " is null; pass a Duration such as Duration.ofSeconds(30)");
        }
        if (length.compareTo(ClaimRequest.MIN_FIXED_LEASE) < 0 || length.compareTo(ClaimRequest.MAX_LEASE) > 0) {
            throw new InvalidClaimException(null, null, what + " " + length + " is out of range; use "
                    + ClaimRequest.MIN_FIXED_LEASE + " to " + ClaimRequest.MAX_LEASE);
        }
        return length;
    }
}
