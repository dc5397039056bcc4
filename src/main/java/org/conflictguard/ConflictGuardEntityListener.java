package org.conflictguard;

import jakarta.persistence.PostLoad;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import org.conflictguard.internal.write.WriteChecks;

/**
 * Refuses writes to rows claimed by other operations, and writes by an operation whose claim
 * was lost, with a {@link WriteRefusedException} (which marks the transaction for rollback).
 * Register it per entity with {@code @EntityListeners(ConflictGuardEntityListener.class)}, or for
 * every entity as a default listener ({@code META-INF-templates/orm.xml}). It checks writes to
 * the entities of the unit given to {@link ConflictGuardBuilder#dependencies} of every running
 * guard (the claim store's own {@code ObjectLock} excepted); classes no running guard knows pay
 * one map lookup. The holding operation's writes pass without a store round trip.
 *
 * <p>JPQL and Criteria bulk {@code UPDATE}/{@code DELETE} and native SQL do not run entity
 * listeners: guard those by claiming their targets up front.
 *
 * <p>Stateless and thread-safe.
 */
public class ConflictGuardEntityListener {

    /**
     * @param entity the entity about to be updated
     * @throws WriteRefusedException if the row is claimed by another operation or the writer's claim was lost
     */
    @PreUpdate
    public void preUpdate(Object entity) {
        WriteChecks.check(entity, WriteRefusedException.Write.UPDATE);
    }

    /**
     * @param entity the entity about to be removed
     * @throws WriteRefusedException if the row is claimed by another operation or the writer's claim was lost
     */
    @PreRemove
    public void preRemove(Object entity) {
        WriteChecks.check(entity, WriteRefusedException.Write.REMOVE);
    }

    /**
     * Notes where a loaded entity sits in the dependency hierarchy, so that an update that moves
     * it (changes a {@link DependsOn} reference) is recognised as one.
     *
     * @param entity the entity just loaded
     */
    @PostLoad
    public void postLoad(Object entity) {
        WriteChecks.loaded(entity);
    }

    /**
     * @param entity the entity about to be persisted
     * @throws WriteRefusedException if a row it depends on is claimed by another operation
     */
    @PrePersist
    public void prePersist(Object entity) {
        WriteChecks.check(entity, WriteRefusedException.Write.PERSIST);
    }
}
