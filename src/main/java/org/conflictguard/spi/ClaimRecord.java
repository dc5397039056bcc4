package org.conflictguard.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.conflictguard.Mark;

/**
 * What one claim a store keeps marks, as it reports it to a node's write-check view
 * ({@link ClaimStore#claimRecords}): its token and its marks, or, for a claim with more marks than
 * the view keeps, only the entities they are of.
 *
 * <p>Immutable and thread-safe.
 *
 * @param token the claim's fencing token
 * @param marks every mark of the claim when {@code complete}, else empty
 * @param entities the entity names of the claim's marks
 * @param complete whether {@code marks} lists them all
 */
public record ClaimRecord(long token, List<Mark> marks, Set<String> entities, boolean complete) {

    /**
     * @throws NullPointerException if the marks or entities are null
     * @throws IllegalArgumentException if a record that is not complete lists marks
     */
    public ClaimRecord {
        marks = List.copyOf(marks);
        entities = Set.copyOf(entities);
        if (!complete && !marks.isEmpty()) {
            throw new IllegalArgumentException("a claim record without all its marks lists none");
        }
    }

    /** A complete record of these marks. */
    public static ClaimRecord of(long token, List<Mark> marks) {
        Set<String> entities = new HashSet<>();
        marks.forEach(m -> entities.add(m.row().entity()));
        return new ClaimRecord(token, marks, entities, true);
    }

    /** A record of a claim too large to list, naming the entities of its marks. */
    public static ClaimRecord tooLarge(long token, Set<String> entities) {
        return new ClaimRecord(token, List.of(), entities, false);
    }
}
