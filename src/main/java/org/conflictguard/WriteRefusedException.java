package org.conflictguard;

/**
 * A write to a claimed row was refused: the row is held by another operation, or the writing
 * operation's own claim was lost (its lease lapsed). Thrown from the entity listener's
 * {@code @PreUpdate}, {@code @PreRemove} or {@code @PrePersist}, so the transaction is marked for
 * rollback.
 *
 * <p>Immutable and thread-safe.
 */
public class WriteRefusedException extends ConflictGuardException {

    /** The kind of write that was refused. */
    public enum Write {
        /** An update of the row. */
        UPDATE,
        /** A removal of the row. */
        REMOVE,
        /** A new row that depends on the claimed row. */
        PERSIST
    }

    private final Write write;
    private final Row row;
    private final Holder holder;
    private final Row within;
    private final boolean ownClaimLost;

    private WriteRefusedException(String message, Write write, Row row, Holder holder, Row within,
            boolean ownClaimLost) {
        super(message);
        this.write = write;
        this.row = row;
        this.holder = holder;
        this.within = within;
        this.ownClaimLost = ownClaimLost;
    }

    /** The row is held by another operation. */
    public static WriteRefusedException heldByOther(Write write, String writtenEntity, Row row, Holder holder) {
        return heldByOther(write, writtenEntity, new RowClaim(row, holder));
    }

    /** The row is held by another operation: claimed itself, or within a claimed subtree. */
    public static WriteRefusedException heldByOther(Write write, String writtenEntity, RowClaim held) {
        Row within = held.within();
        return new WriteRefusedException(action(write, writtenEntity, held.row()) + ": it " + (within == null ? ""
                : "lies within Entity '" + within.entity() + "' id " + within.id() + "'s subtree, which ")
                + "is claimed by " + held.holder().describe() + "; retry after that operation finishes", write,
                held.row(), held.holder(), within, false);
    }

    /**
     * Moving the row under a new parent was refused: another operation holds that parent (or the
     * subtree it lies in), so the move would add a row to what it holds.
     */
    public static WriteRefusedException movedInto(String writtenEntity, Row row, RowClaim heldParent) {
        Row within = heldParent.within();
        return new WriteRefusedException("Cannot move Entity '" + row.entity() + "' id " + row.id() + " under Entity '"
                + heldParent.row().entity() + "' id " + heldParent.row().id() + ": that row " + (within == null ? ""
                : "lies within Entity '" + within.entity() + "' id " + within.id() + "'s subtree, which ")
                + "is claimed by " + heldParent.holder().describe() + "; retry after that operation finishes",
                Write.UPDATE, heldParent.row(), heldParent.holder(), within, false);
    }

    /**
     * Moving the row to another parent was refused: another operation holds rows below it, whose
     * place in the hierarchy would change under it.
     */
    public static WriteRefusedException movedWithClaimsBelow(String writtenEntity, Row row, Holder holder) {
        return new WriteRefusedException("Cannot move Entity '" + row.entity() + "' id " + row.id() + " to another"
                + " parent: rows below it are claimed by " + holder.describe() + "; retry after that operation"
                + " finishes", Write.UPDATE, row, holder, null, false);
    }

    /** The writing operation's own claim on the row was lost. */
    public static WriteRefusedException ownClaimLost(Write write, String writtenEntity, Row row, String operationId,
            String label) {
        return new WriteRefusedException(action(write, writtenEntity, row) + ": operation '" + operationId + "'"
                + (label == null ? "" : " (label '" + label + "')") + " no longer holds its claim (its lease lapsed or"
                + " it was released), so its writes are refused; claim the rows again", write, row, null, null, true);
    }

    /** The kind of write refused. */
    public Write write() {
        return write;
    }

    /** The claimed row (for {@link Write#PERSIST}, the claimed row the new row depends on). */
    public Row row() {
        return row;
    }

    /** The root of the claimed subtree the row lies in, or {@code null} when the row itself is claimed (or the writer's claim was lost). */
    public Row within() {
        return within;
    }

    /** The other operation holding the row, or {@code null} when the writer's own claim was lost. */
    public Holder holder() {
        return holder;
    }

    /** Whether the writer's own claim was lost (rather than the row being held by another). */
    public boolean isOwnClaimLost() {
        return ownClaimLost;
    }

    /**
     * The refusal behind {@code failure}, wherever the JPA provider or the transaction manager
     * wrapped it: EclipseLink and JTA commits report a listener's exception as the cause of their
     * own ({@code PersistenceException}, {@code RollbackException}, {@code TransactionalException}),
     * so a JAX-RS mapper for this type does not see it. Rethrow what this finds to get the 409:
     *
     * <pre>{@code
     * } catch (RuntimeException e) {
     *     throw WriteRefusedException.findIn(e).orElseThrow(() -> e);
     * }
     * }</pre>
     *
     * @param failure any exception, may be {@code null}
     * @return the first {@code WriteRefusedException} in {@code failure}'s cause chain (itself
     *         included), or empty
     */
    public static java.util.Optional<WriteRefusedException> findIn(Throwable failure) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof WriteRefusedException refused) {
                return java.util.Optional.of(refused);
            }
        }
        return java.util.Optional.empty();
    }

    private static String action(Write write, String writtenEntity, Row row) {
        return switch (write) {
            case UPDATE -> "Cannot update Entity '" + row.entity() + "' id " + row.id();
            case REMOVE -> "Cannot remove Entity '" + row.entity() + "' id " + row.id();
            case PERSIST -> "Cannot add a new " + writtenEntity + " under Entity '" + row.entity() + "' id " + row.id();
        };
    }
}
