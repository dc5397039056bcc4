/**
 * The Redis claim store, through Redisson. Loaded only when Redis is chosen, so an application
 * that uses the database store does not need Redisson on its class path.
 */
package org.conflictguard.store.redis;
