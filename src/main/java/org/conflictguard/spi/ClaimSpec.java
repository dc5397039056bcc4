package org.conflictguard.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.conflictguard.Row;

/**
 * One claim as handed to a store: already validated, rows de-duplicated and sorted, never
 * empty.
 *
 * <p>Immutable and thread-safe.
 *
 * @param operationId the claiming operation
 * @param label the operation's label, or {@code null}
 * @param user the operation's user, or {@code null}
 * @param rows the rows, sorted, distinct, at least one
 * @param lease how long the claim lasts unless renewed, measured by the store's clock
 */
public record ClaimSpec(String operationId, String label, String user, List<Row> rows, Duration lease) {

    /** @throws IllegalArgumentException if the rows are empty */
    public ClaimSpec {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(lease, "lease");
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a claim spec needs at least one row");
        }
    }
}
