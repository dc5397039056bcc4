package org.conflictguard;

/**
 * Thrown for input ConflictGuard cannot accept: a bad entity name, id, operation id, label or
 * lease. Thrown before any store is contacted, so the store is left exactly as it was.
 *
 * <p>Immutable and thread-safe.
 */
public class InvalidClaimException extends IllegalArgumentException {

    private final String entity;
    private final String id;

    /**
     * @param entity the entity name at fault, or {@code null} when the fault is elsewhere
     * @param id the id at fault, or {@code null}
     * @param message what is wrong and what to do
     */
    public InvalidClaimException(String entity, String id, String message) {
        super(message);
        this.entity = entity;
        this.id = id;
    }

    /** The entity name at fault, or {@code null} when the fault is not in a row. */
    public String entity() {
        return entity;
    }

    /** The id at fault, or {@code null} when the fault is not in an id. */
    public String id() {
        return id;
    }
}
