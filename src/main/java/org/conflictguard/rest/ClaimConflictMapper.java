package org.conflictguard.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.conflictguard.ClaimConflictException;

/**
 * A claim refused because rows are held (for example by a {@code @Guarded} method) becomes HTTP
 * 409 with an {@code application/problem+json} body: {@code type}, {@code title},
 * {@code status}, {@code detail} and {@code rows} (entity, id, operationId, label, user, since,
 * leaseUntil). Stateless and thread-safe.
 */
@Provider
public class ClaimConflictMapper implements ExceptionMapper<ClaimConflictException> {

    @Override
    public Response toResponse(ClaimConflictException conflict) {
        return Problems.conflict("Rows are claimed by another operation", conflict.getMessage(), conflict.conflicts());
    }
}
