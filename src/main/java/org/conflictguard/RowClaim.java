package org.conflictguard;

import java.util.Objects;

/**
 * A row and the operation that holds it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param row the claimed row
 * @param holder who holds it
 */
public record RowClaim(Row row, Holder holder) {

    /** @throws NullPointerException if either part is null */
    public RowClaim {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(holder, "holder");
    }

    @Override
    public String toString() {
        return "Entity '" + row.entity() + "' id " + row.id() + " is claimed by " + holder.describe();
    }
}
