package org.conflictguard.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.conflictguard.WriteRefusedException;
import org.conflictguard.RowClaim;

/**
 * A write refused by the entity listener becomes HTTP 409 with the same
 * {@code application/problem+json} body as {@link ClaimRefusedMapper}, listing the claimed row
 * and its holder (no holder when the writer's own claim was lost). Stateless and thread-safe.
 */
@Provider
public class WriteRefusedMapper implements ExceptionMapper<WriteRefusedException> {

    @Override
    public Response toResponse(WriteRefusedException refused) {
        List<RowClaim> rows = refused.holder() == null ? List.of() : List.of(new RowClaim(refused.row(), refused.holder()));
        return Problems.conflict(refused.isOwnClaimLost() ? "The operation's claim was lost"
                : "The row is claimed by another operation", refused.getMessage(), rows);
    }
}
