package org.conflictguard;

/**
 * Where claims live, as chosen by {@link ConfigKeys#STORE}.
 */
public enum StoreType {
    /** Redis when Redis is configured, otherwise the database; the choice and its reason are logged. */
    AUTO,
    /** Redis through Redisson; startup fails if no Redis is configured or Redisson is missing. */
    REDIS,
    /** The {@code cg_object_lock} table through JPA; startup fails if no persistence unit is available. */
    DATABASE
}
