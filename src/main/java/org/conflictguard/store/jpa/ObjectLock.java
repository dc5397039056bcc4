package org.conflictguard.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * One mark in the {@code cg_object_lock} table: a row a claim holds alone, or with its
 * {@code @DependsOn} subtree; unique on (namespace, model name, object id). Times are epoch milliseconds by the database's clock. Mapped so that the table
 * can be listed in a persistence unit and read with JPQL (for example by an admin page);
 * ConflictGuard itself writes it with the SQL of {@link JpaClaimStore}.
 *
 * <p>Not thread-safe (a JPA entity).
 */
@Entity(name = "ConflictGuardObjectLock")
@Table(name = "cg_object_lock")
@IdClass(ObjectLock.Key.class)
public class ObjectLock {

    @Id
    @Column(name = "namespace", length = 64, nullable = false)
    private String namespace;

    @Id
    @Column(name = "model_name", length = 100, nullable = false)
    private String modelName;

    @Id
    @Column(name = "object_id", length = 255, nullable = false)
    private String objectId;

    @Column(name = "operation_id", length = 100, nullable = false)
    private String operationId;

    @Column(name = "label", length = 200, nullable = false)
    private String label;

    @Column(name = "user_name", length = 200, nullable = false)
    private String userName;

    @Column(name = "token", nullable = false)
    private long token;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "lease_until", nullable = false)
    private long leaseUntil;

    @Column(name = "scope", length = 1, nullable = false)
    private String scope;

    /** For JPA. */
    protected ObjectLock() {
    }

    /** The namespace the claim belongs to. */
    public String getNamespace() {
        return namespace;
    }

    /** The entity name. */
    public String getModelName() {
        return modelName;
    }

    /** The entity's canonical id. */
    public String getObjectId() {
        return objectId;
    }

    /** The holding operation. */
    public String getOperationId() {
        return operationId;
    }

    /** The operation's label; empty when none was given. */
    public String getLabel() {
        return label;
    }

    /** The operation's user; empty when none was given. */
    public String getUserName() {
        return userName;
    }

    /** The claim's fencing token. */
    public long getToken() {
        return token;
    }

    /** When the row was claimed, epoch milliseconds by the database clock. */
    public long getCreatedAt() {
        return createdAt;
    }

    /** When the claim lapses unless renewed, epoch milliseconds by the database clock. */
    public long getLeaseUntil() {
        return leaseUntil;
    }

    /** {@code R} when the row is claimed alone, {@code S} when it is claimed with its subtree. */
    public String getScope() {
        return scope;
    }

    /**
     * The primary key of {@link ObjectLock}.
     *
     * <p>Not thread-safe (a JPA id class).
     */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        private String namespace;
        private String modelName;
        private String objectId;

        /** For JPA. */
        public Key() {
        }

        /** A key. */
        public Key(String namespace, String modelName, String objectId) {
            this.namespace = namespace;
            this.modelName = modelName;
            this.objectId = objectId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(namespace, key.namespace)
                    && Objects.equals(modelName, key.modelName) && Objects.equals(objectId, key.objectId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(namespace, modelName, objectId);
        }
    }
}
