package org.conflictguard.internal;

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
}
