/**
 * The database claim store: the {@code cg_object_lock} table, mapped by
 * {@link org.conflictguard.store.jpa.ObjectLock}, used through a RESOURCE_LOCAL persistence
 * unit so that every claim runs in its own short transaction, never the caller's. DDL for H2,
 * PostgreSQL and MariaDB ships in {@code META-INF-templates/ddl/}.
 */
package org.conflictguard.store.jpa;
