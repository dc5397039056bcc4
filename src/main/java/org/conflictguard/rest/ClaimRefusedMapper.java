package org.conflictguard.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.conflictguard.ClaimRefusedException;

/**
 * A claim refused because rows are held (for example by a {@code @Guarded} method) becomes HTTP
 * 409 with an {@code application/problem+json} body: {@code type}, {@code title},
 * {@code status}, {@code detail} and {@code rows} (entity, id, operationId, label, user, since,
 * leaseUntil). Stateless and thread-safe.
 */
@Provider
public class ClaimRefusedMapper implements ExceptionMapper<ClaimRefusedException> {

    @Override
    public Response toResponse(ClaimRefusedException conflict) {
        return Problems.conflict("Rows are claimed by another operation", conflict.getMessage(), conflict.conflicts());
    }
}
